// KIM web chat: talks to the assistant (/api/messages) and, after a handoff, to the case manager
// (/api/case-messages); the case manager's replies arrive by long poll (/api/updates).
// The user always sees whom they write to, and every bubble says who wrote it: 🤖 or 👤.
"use strict";
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const modes = document.getElementById("modes");
  const toAssistant = document.getElementById("to-assistant");
  const toPerson = document.getElementById("to-person");
  const modeNote = document.getElementById("mode-note");
  const DEFAULT_BOT = "🤖 KIM-Assistent (automatisch)";
  const state = { caseId: null, labels: null, mode: "assistant", after: Number(sessionStorage.getItem("kimAfter") || 0) };

  function linkify(node, text) {
    // Text nodes only: never innerHTML with message text.
    const parts = text.split(/(https?:\/\/[^\s)]+)/g);
    for (const part of parts) {
      if (/^https?:\/\//.test(part)) {
        const a = document.createElement("a");
        a.href = part; a.textContent = part; a.target = "_blank"; a.rel = "noopener noreferrer";
        node.appendChild(a);
      } else if (part) {
        node.appendChild(document.createTextNode(part));
      }
    }
  }

  function lines(node, text) {
    // One block per line, each with its own direction: Arabic lines run right-to-left inside a
    // bubble that also holds German office names or other languages.
    for (const line of (text || "").split("\n")) {
      const row = document.createElement("div");
      row.className = "line";
      row.setAttribute("dir", "auto");
      linkify(row, line);
      if (!line) row.appendChild(document.createElement("br"));
      node.appendChild(row);
    }
  }

  function who(div, text) {
    const span = document.createElement("span");
    span.className = "who"; span.textContent = text;
    div.appendChild(span);
  }

  function bubble(kind, text, buttons) {
    const div = document.createElement("div");
    div.className = "msg " + kind;
    div.setAttribute("dir", "auto");
    if (kind === "bot") who(div, state.labels ? state.labels.label_assistant : DEFAULT_BOT);
    lines(div, text);
    if (buttons && buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      for (const b of buttons) {
        const btn = document.createElement("button");
        btn.type = "button"; btn.textContent = b.title; btn.setAttribute("dir", "auto");
        btn.addEventListener("click", () => send({ payload: b.payload }, b.title));
        row.appendChild(btn);
      }
      div.appendChild(row);
    }
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function personBubble(m) {
    const L = state.labels || {};
    const div = document.createElement("div");
    div.className = "msg person";
    div.setAttribute("dir", "auto");
    div.dataset.id = m.id;
    who(div, L.label_person || "👤");
    const body = document.createElement("div");
    body.lang = m.language;
    lines(body, m.text);
    div.appendChild(body);
    if (m.untranslated && L.untranslated) {
      const note = document.createElement("div");
      note.className = "note"; note.textContent = L.untranslated;
      div.appendChild(note);
    }
    if (m.machine_translated) {
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = (L.machine_translation || "MT") + " · " + (L.show_original || "Deutsch");
      details.appendChild(summary);
      const original = document.createElement("div");
      original.lang = "de"; original.className = "original";
      lines(original, m.original);
      details.appendChild(original);
      div.appendChild(details);
    }
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  function setMode(mode) {
    state.mode = mode;
    toAssistant.setAttribute("aria-pressed", String(mode === "assistant"));
    toPerson.setAttribute("aria-pressed", String(mode === "person"));
    form.classList.toggle("to-person", mode === "person");
    if (state.labels) {
      modeNote.textContent = mode === "person" ? state.labels.writing_to_person : state.labels.writing_to_assistant;
    }
  }

  function applyCase(c) {
    const isNew = c && c.id !== state.caseId;
    state.caseId = c ? c.id : null;
    if (isNew) state.mode = "person";  // a new case: what the user writes now goes to the person
    if (c) {
      state.labels = c.labels;
      toAssistant.textContent = c.labels.to_assistant;
      toPerson.textContent = c.labels.to_person;
    }
    modes.hidden = !c;
    if (!c && state.mode === "person") setMode("assistant");
    else setMode(state.mode);
  }

  async function poll(wait) {
    const response = await fetch(`/api/updates?after=${state.after}&wait=${wait}`, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const data = await response.json();
    applyCase(data.case);
    for (const m of data.messages) {
      if (m.id <= state.after) continue;
      personBubble(m);
      setMode("person");  // the person asked something: the answer goes back to them
      state.after = m.id;
      sessionStorage.setItem("kimAfter", String(state.after));
    }
  }

  let polling = false;
  async function pollForever() {
    // Only while a case is open: without one there is nothing to wait for.
    if (polling) return;
    polling = true;
    while (state.caseId) {
      try { await poll(25); } catch (err) { await new Promise((r) => setTimeout(r, 5000)); }
    }
    polling = false;
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    return { response, data: await response.json() };
  }

  async function send(body, shown) {
    if (shown) bubble("user", shown);
    const typing = bubble("bot typing", "…");
    try {
      const { response, data } = await post("/api/messages", body);
      typing.remove();
      if (!response.ok) { bubble("error", data.error || String(response.status)); return; }
      for (const m of data.messages) bubble("bot", m.text, m.buttons);
      if (data.handoff || data.reset) {
        if (data.reset) { state.after = 0; sessionStorage.removeItem("kimAfter"); }
        await poll(0);
        pollForever();
      }
    } catch (err) {
      typing.remove();
      bubble("error", "Keine Verbindung · No connection · Немає з'єднання · لا يوجد اتصال");
    }
  }

  async function sendToPerson(text) {
    const div = bubble("user to-person", text);
    try {
      const { response, data } = await post("/api/case-messages", { text: text });
      if (!response.ok) { bubble("error", data.error || String(response.status)); return; }
      const note = document.createElement("div");
      note.className = "note"; note.textContent = data.note;
      div.appendChild(note);
    } catch (err) {
      bubble("error", "Keine Verbindung · No connection · Немає з'єднання · لا يوجد اتصال");
    }
  }

  toAssistant.addEventListener("click", () => setMode("assistant"));
  toPerson.addEventListener("click", () => setMode("person"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    if (state.mode === "person" && state.caseId) sendToPerson(text);
    else send({ text: text }, text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  send({ text: "/greet" }, null);  // the greeting and the language picker, without a user bubble
  poll(0).catch(() => {}).finally(pollForever);
})();
