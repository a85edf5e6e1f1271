"""Small word lists (folded) that steer the resolver: common words, prepositions and cue words.

They are language data, not place data, so they live here and not in gazetteer.yml. Lists hold
folded forms (see ``normalise.fold``): no umlauts, ß as ss, Arabic letter variants unified.
"""

from __future__ import annotations


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that never start, end or make up a fuzzy or phonetic match (they still may sit inside an
# exact multi-word name such as "Auf der Lieth"). Function words and frequent chat words.
COMMON = _set(
    """
    ich du er sie es wir ihr mich mir dich dir uns euch sich mein meine meinen meiner dein deine sein
    seine unser unsere der die das den dem des ein eine einen einem einer und oder aber auch noch
    nicht kein keine ja nein doch schon jetzt hier dort da wo wohin woher wie was wer wann warum
    bin bist ist sind seid war waren habe hast hat haben hatte kann konnen muss mussen will wollen
    soll sollen mochte mochten brauche brauchen gibt geht gehen komme kommen kommt wohne wohnen wohnt
    lebe leben lebt arbeite arbeiten gezogen umgezogen ziehe ziehen in im aus nach bei von vom zu zum
    zur mit fur uber unter vor hinter neben an am auf um gegen ohne seit bis durch nahe nahe naehe
    stadt dorf gemeinde kreis landkreis ortsteil stadtteil bezirk stadtbezirk region raum umgebung
    strasse str weg platz hausnummer adresse wohnort heimat deutschland germany nrw westfalen
    hallo hi hey guten tag morgen abend danke bitte gut sehr viel mehr alle alles etwas nur
    weiber leute familie kinder kind frau mann schule kita arbeit termin amt hilfe frage
    wegen weil dass wenn dann also mal gerne genau richtig heute gestern
    extern benutzen benutzt behausen gesellen geschenk geschenke brennen brennt weinberg ursprunge
    serviette liebling viber whatsapp telegram вайбер вайбері вайбера телеграм
    i me my we our you your he she it they them is am are was were be been have has had do does
    did can could will would should the a an and or but not no yes of to from at by on for with
    into near about this that these those there here where what who how why when live lives living
    lived moved move stay staying work working city town village district area street road address
    hello thanks thank please help need want ukraine syria
    я ти ви ми він вона воно вони мене мені нас нам вас вам мій моя моє мої наш наша наше наші
    в у з із зі до на біля коло під над від для про через і й та а але чи не ні так так це той
    та де куди звідки як що хто коли чому живу живе живемо живуть мешкаю мешкаємо проживаю
    місто місті селище село район області вулиця адреса привіт добрий день дякую будь ласка
    допомога допоможіть потрібно треба хочу можна німеччина німеччині україна україни
    во из к около под от за по это что где как кто когда почему живем живём живет живёт город
    городе деревня улица адрес здравствуйте спасибо пожалуйста помощь германия германии
    انا انت انتم نحن هو هي هم في من الى علي عن مع قرب عند بين هذا هذه ذلك تلك التي الذي
    و او ثم لا نعم اين كيف ماذا متى لماذا اسكن نسكن يسكن اعيش نعيش يعيش ساكن ساكنه مقيم اقيم
    مدينه قريه منطقه حي شارع عنوان عنواني مرحبا شكرا السلام عليكم من فضلك مساعده اريد احتاج
    المانيا سوريا اوكرانيا الان حاليا
    """
)

# A context-sensitive name ("Weine", "Haaren", "Hagen") counts as a place right after one of these.
PREPOSITIONS = _set(
    """
    in im aus nach bei von vom ab ortsteil stadtteil gemeinde stadt dorf
    from to near at into
    в у з із зі до біля під во из к около
    في من الى قرب بقرب عند
    """
)

# "bei Paderborn", "Kreis Paderborn", "Jobcenter Paderborn": the name qualifies something else
# (a nearby place, the Kreis, an office) and is not where the person lives.
QUALIFIERS = _set(
    """
    bei nahe naehe umgebung raum umland landkreis landkreises kreis kreises region richtung
    jobcenter auslanderbehorde auslaenderbehoerde sozialamt burgeramt buergeramt rathaus amt
    amtsgericht uni universitat universitaet hochschule klinikum krankenhaus bahnhof hauptbahnhof hbf
    flughafen airport sc near close around outside university office
    біля коло під поблизу поруч околиці около возле рядом
    قرب بقرب بالقرب جوار ضواحي حول مقاطعه لمقاطعه بمقاطعه دائره
    """
)
QUALIFIER_FILLERS = _set("der dem den von vom of the to з від من")

# Words that say the next place is where the person lives.
RESIDENCE = _set(
    """
    wohne wohnen wohnt lebe leben lebt wohnhaft wohnort zuhause adresse untergebracht umgezogen
    live lives living reside address home moved
    переїхали переїхав переїхала переехали переехал переехала
    живу живе живемо живуть мешкаю мешкаємо проживаю проживаємо адреса живем живём живет живёт
    اسكن نسكن يسكن تسكن اعيش نعيش يعيش تعيش ساكن ساكنه ساكنين مقيم مقيمه اقيم نقيم عنوان عنواني
    انتقلنا انتقلت نقلنا
    """
)

# "in Borchen oder in Lichtenau": a cue for one alternative is a cue for the other.
ALTERNATIVES = _set("oder bzw or або чи или либо او")

# A name right before one of these (or after شارع / вулиця) is part of a street name.
STREET_AFTER = _set(
    """
    strasse str weg allee platz ring gasse damm chaussee pfad stieg wall ufer kamp
    street st road rd avenue lane
    """
)
STREET_BEFORE = _set("شارع вулиця вул улица ул")
