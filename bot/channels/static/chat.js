// KIM web chat: sends the user's text (or a tapped button's payload) to /api/messages and shows the answers.
"use strict";
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const WHO = { bot: "KIM-Assistent (automatisch)", user: "" };

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

  function bubble(kind, text, buttons) {
    const div = document.createElement("div");
    div.className = "msg " + kind;
    div.setAttribute("dir", "auto");
    if (kind === "bot") {
      const who = document.createElement("span");
      who.className = "who"; who.textContent = WHO.bot;
      div.appendChild(who);
    }
    // One block per line, each with its own direction: Arabic lines run right-to-left inside a
    // bubble that also holds German office names or other languages.
    for (const line of (text || "").split("\n")) {
      const row = document.createElement("div");
      row.className = "line";
      row.setAttribute("dir", "auto");
      linkify(row, line);
      if (!line) row.appendChild(document.createElement("br"));
      div.appendChild(row);
    }
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

  async function send(body, shown) {
    if (shown) bubble("user", shown);
    const typing = bubble("bot typing", "…");
    try {
      const response = await fetch("/api/messages", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      const data = await response.json();
      typing.remove();
      if (!response.ok) { bubble("error", data.error || String(response.status)); return; }
      for (const m of data.messages) bubble("bot", m.text, m.buttons);
    } catch (err) {
      typing.remove();
      bubble("error", "Keine Verbindung · No connection · Немає з'єднання · لا يوجد اتصال");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  send({ text: "/greet" }, null);  // the greeting and the language picker, without a user bubble
})();
