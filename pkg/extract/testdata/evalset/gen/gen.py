#!/usr/bin/env python3
"""Builds pkg/extract/testdata/evalset from articles.py: HTML pages in several
site templates and feed-text pages, with the boilerplate each language's
sites put around an article. Everything here is invented."""
import gzip, json, os, sys, html as H
from datetime import datetime

sys.path.insert(0, os.path.dirname(__file__))
from articles import A

OUT = sys.argv[1]
os.makedirs(os.path.join(OUT, "html"), exist_ok=True)

L = {
 "it": dict(
    site="Gazzetta del Lago", nav=["Home", "Cronaca", "Politica", "Economia", "Sport", "Cultura", "Meteo"],
    cookie="Questo sito utilizza cookie tecnici e di profilazione di terze parti. Chiudendo questo banner acconsenti all'uso dei cookie.",
    cookie_ok="Accetto", related="Leggi anche", related2="Potrebbe interessarti",
    others=["Nuova rotonda all'ingresso del paese, lavori da giugno", "Il coro parrocchiale compie cinquant'anni", "Raccolta differenziata, cambia il calendario", "Sagra della castagna: il programma completo"],
    blurbs=["Il cantiere durerà circa tre mesi e prevede la chiusura parziale della strada…", "Una festa in piazza per celebrare mezzo secolo di concerti…", "Dal primo del mese la plastica si raccoglie il giovedì…", "Tre giorni di stand gastronomici e musica popolare…"],
    newsletter="Iscriviti alla newsletter della Gazzetta: ogni mattina le notizie della tua città nella tua casella di posta.",
    newsletter_btn="Iscriviti", share="Condividi", ad="Pubblicità", comments="Commenti",
    comment_texts=["Finalmente! Lo aspettavamo da anni, complimenti a chi ci ha lavorato.", "Speriamo che questa volta i tempi vengano rispettati, non come l'ultima volta."],
    comment_names=["Giorgio P.", "Anna_72"], reply="Rispondi",
    footer="© 2025 Gazzetta del Lago srl - P.IVA 01234567890 - Tutti i diritti riservati", privacy="Privacy", contacts="Contatti",
    by="di", published="Pubblicato il", updated="Aggiornato alle", months=["gennaio","febbraio","marzo","aprile","maggio","giugno","luglio","agosto","settembre","ottobre","novembre","dicembre"],
    most_read="I più letti", tags="Argomenti", caption="Foto di archivio", credit="Foto", bio="è giornalista della redazione cronaca e si occupa di enti locali e territorio.",
    prev="Articolo precedente", next="Articolo successivo", read_time="3 min di lettura", breadcrumb=["Home", "Cronaca"],
    paywall="Per continuare a leggere abbonati alla Gazzetta: il primo mese costa 1 euro.", rights="Riproduzione riservata",
    teaser_cats=["Cronaca", "Sport", "Cultura"], follow="Seguici su Facebook e Instagram per restare aggiornato",
    textsize="Dimensione testo", photo="Foto", agency="ANSA", like="Ti è piaciuto questo articolo? Seguici anche su Google News e non perderti nessuna notizia.",
 ),
 "fr": dict(
    site="L'Écho des Vallées", nav=["Accueil", "Actualités", "Politique", "Économie", "Sports", "Culture", "Météo"],
    cookie="Nous utilisons des cookies pour améliorer votre expérience et mesurer l'audience. En poursuivant votre navigation, vous acceptez leur utilisation.",
    cookie_ok="J'accepte", related="Lire aussi", related2="À lire également",
    others=["La fête du cidre revient place de la Mairie", "Le collège Jean-Moulin change de principal", "Travaux : la rue Pasteur fermée jusqu'en mai", "Basket : les cadettes en finale régionale"],
    blurbs=["Les producteurs de la vallée seront présents tout le week-end…", "Après douze ans à la tête de l'établissement, il part à la retraite…", "Une déviation est mise en place par le boulevard extérieur…", "Une première pour le club depuis sa création…"],
    newsletter="Recevez chaque matin l'essentiel de l'actualité de votre vallée : inscrivez-vous à notre lettre d'information gratuite.",
    newsletter_btn="Je m'inscris", share="Partager", ad="Publicité", comments="Commentaires",
    comment_texts=["Très bonne nouvelle pour les familles du quartier.", "Dommage que les horaires du dimanche soient si courts."],
    comment_names=["Michel38", "Sandrine L."], reply="Répondre",
    footer="© 2025 L'Écho des Vallées - Tous droits réservés - Mentions légales - Politique de confidentialité", privacy="Confidentialité", contacts="Nous contacter",
    by="Par", published="Publié le", updated="Mis à jour à", months=["janvier","février","mars","avril","mai","juin","juillet","août","septembre","octobre","novembre","décembre"],
    most_read="Les plus lus", tags="Sur le même sujet", caption="Photo d'illustration", credit="Photo", bio="est journaliste au service Vallées et suit l'actualité des communes du canton.",
    prev="Article précédent", next="Article suivant", read_time="Temps de lecture : 3 min", breadcrumb=["Accueil", "Actualités"],
    paywall="Cet article est réservé aux abonnés. Profitez de notre offre : 1 € le premier mois.", rights="Reproduction interdite",
    teaser_cats=["Faits divers", "Sports", "Culture"], follow="Suivez-nous sur Facebook, X et Instagram",
    textsize="Taille du texte", photo="Photo", agency="AFP", like="Vous avez aimé cet article ? Partagez-le avec vos proches.",
 ),
 "en": dict(
    site="The Hadley Courier", nav=["Home", "News", "Politics", "Business", "Sport", "Culture", "Weather"],
    cookie="We use cookies to give you the best experience on our website. By continuing to browse you agree to our use of cookies.",
    cookie_ok="Accept", related="Read more", related2="Related stories",
    others=["New roundabout planned for the town entrance", "Church choir celebrates fifty years", "Bin collection days change next month", "Apple fair returns to the market square"],
    blurbs=["Work is expected to last three months, with lane closures…", "A concert on the green will mark the anniversary…", "Recycling will be collected on Thursdays from the first…", "Three days of stalls, cider and live music…"],
    newsletter="Get the Courier's morning briefing: the day's local news in your inbox before breakfast.",
    newsletter_btn="Sign up", share="Share this article", ad="Advertisement", comments="Comments",
    comment_texts=["About time too, this has been needed for years.", "Good news, but who is paying for it?"],
    comment_names=["hadleygal", "Pete W."], reply="Reply",
    footer="© 2025 Hadley Courier Ltd. All rights reserved. Registered in England No. 01234567.", privacy="Privacy policy", contacts="Contact us",
    by="By", published="Published", updated="Updated", months=["January","February","March","April","May","June","July","August","September","October","November","December"],
    most_read="Most read", tags="Topics", caption="File photo", credit="Photo", bio="is a reporter covering transport and local government for the Courier.",
    prev="Previous article", next="Next article", read_time="4 min read", breadcrumb=["Home", "News"],
    paywall="Subscribe to continue reading. Your first month is just £1.", rights="Reproduction prohibited",
    teaser_cats=["Crime", "Sport", "Culture"], follow="Follow us on Facebook and X for the latest updates",
    textsize="Text size", photo="Photo", agency="PA", like="Did you enjoy this article? Sign up to our newsletter for more.",
 ),
 "de": dict(
    site="Talbote", nav=["Startseite", "Lokales", "Politik", "Wirtschaft", "Sport", "Kultur", "Wetter"],
    cookie="Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis auf unserer Website zu bieten. Wenn Sie weitersurfen, stimmen Sie der Nutzung zu.",
    cookie_ok="Zustimmen", related="Lesen Sie auch", related2="Mehr zum Thema",
    others=["Neuer Kreisverkehr an der Ortseinfahrt geplant", "Kirchenchor feiert fünfzigjähriges Bestehen", "Müllabfuhr: neue Termine ab nächstem Monat", "Apfelmarkt kehrt auf den Marktplatz zurück"],
    blurbs=["Die Bauarbeiten sollen rund drei Monate dauern…", "Ein Konzert auf dem Kirchplatz erinnert an die Gründung…", "Die gelben Säcke werden künftig donnerstags abgeholt…", "Drei Tage lang Stände, Most und Blasmusik…"],
    newsletter="Der Talbote-Newsletter: jeden Morgen die wichtigsten Nachrichten aus Ihrer Region direkt in Ihr Postfach.",
    newsletter_btn="Anmelden", share="Teilen", ad="Anzeige", comments="Kommentare",
    comment_texts=["Das wurde auch Zeit, endlich passiert etwas.", "Hoffentlich wird der Zeitplan diesmal eingehalten."],
    comment_names=["Karl_H", "Sabine M."], reply="Antworten",
    footer="© 2025 Talbote Verlag GmbH · Impressum · Datenschutz · AGB", privacy="Datenschutz", contacts="Kontakt",
    by="Von", published="Veröffentlicht am", updated="Aktualisiert am", months=["Januar","Februar","März","April","Mai","Juni","Juli","August","September","Oktober","November","Dezember"],
    most_read="Meistgelesen", tags="Themen", caption="Archivbild", credit="Foto", bio="ist Redakteurin im Lokalressort und berichtet über Stadtrat und Verkehr.",
    prev="Vorheriger Artikel", next="Nächster Artikel", read_time="3 Min. Lesezeit", breadcrumb=["Startseite", "Lokales"],
    paywall="Jetzt weiterlesen mit Talbote Plus: der erste Monat für 0,99 €.", rights="Alle Rechte vorbehalten",
    teaser_cats=["Polizei", "Sport", "Kultur"], follow="Folgen Sie uns auf Facebook und Instagram",
    textsize="Schriftgröße", photo="Foto", agency="dpa", like="Hat Ihnen dieser Artikel gefallen? Teilen Sie ihn mit Ihren Freunden.",
 ),
 "es": dict(
    site="Diario de la Sierra", nav=["Portada", "Local", "Política", "Economía", "Deportes", "Cultura", "El tiempo"],
    cookie="Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa navegando, consideramos que acepta su uso.",
    cookie_ok="Aceptar", related="Te puede interesar", related2="Noticias relacionadas",
    others=["Nueva rotonda en la entrada del pueblo", "El coro parroquial cumple cincuenta años", "Cambia el calendario de recogida de basuras", "Vuelve la feria de la castaña a la plaza"],
    blurbs=["Las obras durarán unos tres meses y obligarán a cortar un carril…", "Un concierto en la plaza recordará la fundación del coro…", "El plástico se recogerá los jueves a partir del día uno…", "Tres días de puestos, música y gastronomía popular…"],
    newsletter="Recibe cada mañana las noticias de tu comarca: suscríbete gratis a nuestro boletín.",
    newsletter_btn="Suscribirme", share="Compartir", ad="Publicidad", comments="Comentarios",
    comment_texts=["Ya era hora, llevábamos años esperando.", "Buena noticia, a ver cuánto tardan en terminar."],
    comment_names=["Manolo_G", "Carmen R."], reply="Responder",
    footer="© 2025 Diario de la Sierra S.L. · Aviso legal · Política de privacidad · Cookies", privacy="Privacidad", contacts="Contacto",
    by="Por", published="Publicado el", updated="Actualizado a las", months=["enero","febrero","marzo","abril","mayo","junio","julio","agosto","septiembre","octubre","noviembre","diciembre"],
    most_read="Lo más leído", tags="Temas", caption="Imagen de archivo", credit="Foto", bio="es redactora de la sección Local y cubre la actualidad de los municipios de la comarca.",
    prev="Noticia anterior", next="Noticia siguiente", read_time="3 min de lectura", breadcrumb=["Portada", "Local"],
    paywall="Para seguir leyendo suscríbete: el primer mes por solo 1 euro.", rights="Prohibida la reproducción",
    teaser_cats=["Sucesos", "Deportes", "Cultura"], follow="Síguenos en Facebook e Instagram",
    textsize="Tamaño del texto", photo="Foto", agency="EFE", like="¿Te ha gustado este artículo? Compártelo en tus redes sociales.",
 ),
}

def e(s):
    return H.escape(s, quote=True)

def human_date(a, l):
    d = datetime.fromisoformat(a["date"])
    if a["lang"] == "en":
        return f"{l['months'][d.month-1]} {d.day}, {d.year} {d.strftime('%I:%M %p').lstrip('0')}"
    if a["lang"] == "de":
        return f"{d.day}. {l['months'][d.month-1]} {d.year}, {d.strftime('%H:%M')} Uhr"
    if a["lang"] == "fr":
        return f"{d.day} {l['months'][d.month-1]} {d.year} à {d.strftime('%Hh%M')}"
    if a["lang"] == "es":
        return f"{d.day} de {l['months'][d.month-1]} de {d.year}, {d.strftime('%H:%M')}"
    return f"{d.day} {l['months'][d.month-1]} {d.year}, ore {d.strftime('%H:%M')}"

def body_html(a, ptag="p", wrap_quote=True):
    out = []
    for kind, v in a["body"]:
        if kind == "p":
            out.append(f"<{ptag}>{e(v)}</{ptag}>")
        elif kind == "h":
            out.append(f"<h2>{e(v)}</h2>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in v) + "</ul>")
        elif kind == "quote":
            text, _, attr = v.partition(" — ")
            out.append(f'<div class="social-embed"><blockquote class="twitter-tweet"><p>{e(text)}</p>— {e(attr)}</blockquote></div>')
    out.extend(f"<{ptag}>{e(v)}</{ptag}>" for v in after(a))
    return out

def after(a):
    """Stories of other articles the site appended to the text, not in the truth."""
    return ([a["after_label"]] if a.get("after_label") else []) + a.get("after", [])

def truth(a):
    lines = [a["lead"]] if a["lead"] else []
    for kind, v in a["body"]:
        if kind == "ul":
            lines.extend(v)
        else:
            lines.append(v)
    return "\n".join(lines)

def nav_html(l, cls="menu"):
    return f'<ul class="{cls}">' + "".join(f'<li><a href="/{i}">{e(n)}</a></li>' for i, n in enumerate(l["nav"])) + "</ul>"

def head(a, l, extra=""):
    return (f'<!DOCTYPE html><html lang="{a["lang"]}"><head><meta charset="utf-8">'
            f'<title>{e(a["title"])} | {e(l["site"])}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta property="og:title" content="{e(a["title"])}"><meta property="og:site_name" content="{e(l["site"])}">'
            f'<meta property="article:published_time" content="{a["date"]}">'
            f'<link rel="stylesheet" href="/static/site.css"><script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>'
            f'{extra}</head>')

def related_list(l, n=4, cls="related"):
    return (f'<div class="{cls}"><h3>{e(l["related2"])}</h3><ul>' +
            "".join(f'<li><a href="/s/{i}">{e(t)}</a></li>' for i, t in enumerate(l["others"][:n])) + "</ul></div>")

def cards(l, cls="card"):
    out = [f'<section class="more-stories"><h2>{e(l["most_read"])}</h2><div class="grid">']
    for i, (t, b) in enumerate(zip(l["others"], l["blurbs"])):
        out.append(f'<div class="{cls}"><a href="/s/{i}"><img src="/img/{i}.jpg" alt=""></a>'
                   f'<h3 class="{cls}-title"><a href="/s/{i}">{e(t)}</a></h3><p class="{cls}-blurb">{e(b)}</p></div>')
    out.append("</div></section>")
    return "".join(out)

def comments(l):
    out = [f'<section id="comments"><h3>{e(l["comments"])} (2)</h3>']
    for n, t in zip(l["comment_names"], l["comment_texts"]):
        out.append(f'<div class="comment"><span class="comment-author">{e(n)}</span><p>{e(t)}</p><a href="#">{e(l["reply"])}</a></div>')
    out.append("</section>")
    return "".join(out)

def footer(l):
    return (f'<footer><p>{e(l["footer"])}</p><p><a href="/privacy">{e(l["privacy"])}</a> · '
            f'<a href="/contact">{e(l["contacts"])}</a></p></footer>')

# ---- templates ----

def t_semantic(a, l):
    """header/nav/main/article/aside/footer, cookie banner, share bar, related list, newsletter box."""
    b = [head(a, l), "<body>",
         f'<div id="cookie-banner" class="cookie-consent"><p>{e(l["cookie"])}</p><button>{e(l["cookie_ok"])}</button></div>',
         f'<header class="site-header"><a class="logo" href="/">{e(l["site"])}</a><nav>{nav_html(l)}</nav></header>',
         '<main><article>',
         f'<nav class="breadcrumb"><a href="/">{e(l["breadcrumb"][0])}</a> › <a href="/news">{e(l["breadcrumb"][1])}</a></nav>',
         f'<h1>{e(a["title"])}</h1>']
    if a["lead"]:
        b.append(f'<p class="standfirst"><strong>{e(a["lead"])}</strong></p>')
    b.append(f'<div class="byline">{e(l["by"])} <a rel="author" href="/a/1">{e(a["author"])}</a> · <time datetime="{a["date"]}">{e(human_date(a, l))}</time></div>')
    b.append(f'<div class="share-bar"><span>{e(l["share"])}</span> <a href="#">Facebook</a> <a href="#">X</a> <a href="#">WhatsApp</a> <a href="#">Email</a></div>')
    b.append(f'<figure><img src="/img/main.jpg" alt=""><figcaption>{e(l["caption"])} ({e(l["credit"])}: {e(l["site"])})</figcaption></figure>')
    body = body_html(a)
    mid = len(body) // 2
    body.insert(mid, f'<div class="ad-slot"><span>{e(l["ad"])}</span></div>')
    b.extend(body)
    b.append(f'<div class="newsletter-box"><p>{e(l["newsletter"])}</p><form><input type="email"><button>{e(l["newsletter_btn"])}</button></form></div>')
    b.append(related_list(l))
    b.append("</article>")
    b.append(f'<aside class="sidebar"><h3>{e(l["most_read"])}</h3><ol>' + "".join(f'<li><a href="/m/{i}">{e(t)}</a></li>' for i, t in enumerate(l["others"])) + "</ol></aside>")
    b.append("</main>" + footer(l) + "</body></html>")
    return "".join(b)

def t_divs(a, l):
    """div soup with non-English class names, a byline and date line as text, teaser cards after the article."""
    b = [head(a, l), "<body>",
         f'<div id="testata"><div class="logo-box"><a href="/">{e(l["site"])}</a></div>{nav_html(l, "menu-principale")}</div>',
         '<div id="contenitore"><div class="colonna-sx">',
         f'<div class="occhiello">{e(l["breadcrumb"][1])}</div>',
         f'<h1 class="titolo">{e(a["title"])}</h1>']
    if a["lead"]:
        b.append(f'<h2 class="sommario">{e(a["lead"])}</h2>')
    b.append(f'<div class="firma">{e(l["by"])} {e(a["author"])}</div>')
    b.append(f'<div class="data-pubblicazione">{e(l["published"])} {e(human_date(a, l))}</div>')
    b.append('<div class="testo-articolo">')
    b.extend(body_html(a))
    b.append("</div>")
    b.append(f'<div class="social-buttons"><a href="#">{e(l["share"])}</a> <a href="#">Facebook</a> <a href="#">Twitter</a></div>')
    b.append(f'<div class="box-tags"><b>{e(l["tags"])}:</b> <a href="/t/1">{e(l["nav"][1])}</a>, <a href="/t/2">{e(l["nav"][3])}</a></div>')
    b.append(cards(l, "box-notizia"))
    b.append('</div><div class="colonna-dx">')
    b.append(f'<div class="banner-pubblicita"><span>{e(l["ad"])}</span></div>')
    b.append(f'<div class="box-meteo"><b>{e(l["nav"][6])}</b><br>12° / 21°</div>')
    b.append("</div></div>")
    b.append(f'<div id="piede"><p>{e(l["footer"])}</p></div></body></html>')
    return "".join(b)

def t_blog(a, l):
    """WordPress-like: entry-content, sidebar widgets, author box, post navigation, comments with long replies."""
    b = [head(a, l, '<script type="application/ld+json">{"@context":"https://schema.org","@type":"BlogPosting","headline":' + json.dumps(a["title"]) +
                  ',"datePublished":"' + a["date"] + '","author":{"@type":"Person","name":' + json.dumps(a["author"]) + '}}</script>'),
         '<body class="single single-post">',
         f'<div id="page"><div class="site-branding"><p class="site-title"><a href="/">{e(l["site"])}</a></p></div>',
         f'<div class="main-navigation">{nav_html(l)}</div>',
         '<div id="content" class="site-content"><div id="primary" class="content-area"><div class="post type-post hentry">',
         f'<h1 class="entry-title">{e(a["title"])}</h1>',
         f'<div class="entry-meta"><span class="posted-on">{e(human_date(a, l))}</span> <span class="byline">{e(l["by"])} {e(a["author"])}</span> <span class="reading-time">{e(l["read_time"])}</span></div>',
         '<div class="entry-content">']
    if a["lead"]:
        b.append(f'<p><em>{e(a["lead"])}</em></p>')
    b.extend(body_html(a))
    b.append(f'<div class="sharedaddy"><h3 class="sd-title">{e(l["share"])}:</h3><ul><li><a href="#">Facebook</a></li><li><a href="#">Twitter</a></li></ul></div>')
    b.append("</div>")  # entry-content
    b.append(f'<div class="author-box"><b>{e(a["author"])}</b> {e(l["bio"])}</div>')
    b.append(f'<div class="nav-links"><a href="/p">{e(l["prev"])}: {e(l["others"][0])}</a> <a href="/n">{e(l["next"])}: {e(l["others"][1])}</a></div>')
    b.append("</div>")  # post
    b.append(comments(l))
    b.append("</div>")  # primary
    b.append(f'<div id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">{e(l["most_read"])}</h2><ul>' +
             "".join(f'<li><a href="/r/{i}">{e(t)}</a></li>' for i, t in enumerate(l["others"])) + "</ul></section>" +
             f'<section class="widget widget_text"><p>{e(l["follow"])}</p></section></div>')
    b.append("</div></div>")
    b.append(f'<div class="site-info">{e(l["footer"])}</div></body></html>')
    return "".join(b)

def t_portal(a, l):
    """News portal: inline 'read also' link, in-text ad label, gallery overlay (hidden), paywall-free, most-read cards with h3 links."""
    b = [head(a, l), "<body>",
         f'<div class="topbar"><span>{e(human_date(a, l))}</span> <a href="/login">Login</a></div>',
         f'<div class="masthead"><a href="/">{e(l["site"])}</a></div><div class="navbar">{nav_html(l)}</div>',
         '<div class="container"><div class="row"><div class="col-8"><div class="story">',
         f'<h1 class="story-headline">{e(a["title"])}</h1>']
    if a["lead"]:
        b.append(f'<p class="story-summary">{e(a["lead"])}</p>')
    b.append(f'<p class="story-meta">{e(a["author"])} - {e(human_date(a, l))}</p>')
    b.append(f'<div class="story-body">')
    body = body_html(a)
    body.insert(1, f'<p class="inline-related"><strong>{e(l["related"])}:</strong> <a href="/s/9">{e(l["others"][2])}</a></p>')
    body.insert(3, f'<div class="inread"><p>{e(l["ad"])}</p></div>')
    b.extend(body)
    b.append(f'<p class="copyright-note">{e(l["rights"])}</p>')
    b.append("</div></div>")
    b.append(f'<div class="gallery-overlay" style="display:none"><div class="gallery-title">{e(a["title"])}</div><span>1 / 12</span><span>Close</span></div>')
    b.append("</div>")
    b.append('<div class="col-4">')
    b.append(f'<div class="box"><h4>{e(l["most_read"])}</h4>' + "".join(
        f'<div class="item"><h3><a href="/s/{i}">{e(t)}</a></h3><span class="cat">{e(l["teaser_cats"][i % 3])}</span></div>' for i, t in enumerate(l["others"])) + "</div>")
    b.append("</div></div></div>")
    b.append(footer(l) + "</body></html>")
    return "".join(b)

def t_legacy(a, l, charset="utf-8"):
    """Table layout of an old site: <font>, <br><br> paragraphs, link columns, a declared legacy charset."""
    paras = [v for k, v in a["body"] if k == "p"]
    b = [f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"><title>{e(l["site"])} - {e(a["title"])}</title></head>',
         '<body bgcolor="#ffffff"><table width="100%" border="0"><tr><td colspan="2">',
         f'<font size="5"><b>{e(l["site"])}</b></font></td></tr><tr><td width="180" valign="top">']
    b.append("".join(f'<a href="/{i}.htm">{e(n)}</a><br>' for i, n in enumerate(l["nav"])))
    b.append("<br><br>" + "".join(f'<a href="/s{i}.htm">{e(t)}</a><br>' for i, t in enumerate(l["others"])))
    b.append('</td><td valign="top">')
    b.append(f'<font size="4"><b>{e(a["title"])}</b></font><br>')
    b.append(f'<font size="2">{e(human_date(a, l))}</font><br><br>')
    b.append('<font size="3">' + "<br><br>\n".join(e(p) for p in paras) + "</font>")
    b.append(f'<br><br><font size="1">{e(l["footer"])}</font>')
    b.append("</td></tr></table></body></html>")
    return "".join(b)

def t_list(a, l):
    """Article with subheadings and lists inside <section>s, a table of contents, a 'most read' ranking and a newsletter modal."""
    b = [head(a, l), "<body>",
         f'<div class="modal newsletter-popup" role="dialog"><p>{e(l["newsletter"])}</p><button>{e(l["newsletter_btn"])}</button></div>',
         f'<header><div class="brand">{e(l["site"])}</div>{nav_html(l)}</header>',
         f'<div class="page"><div class="article-wrapper"><h1>{e(a["title"])}</h1>']
    b.append(f'<div class="meta"><span class="author">{e(l["by"])} {e(a["author"])}</span> <span class="date">{e(human_date(a, l))}</span></div>')
    b.append('<div class="article-body" itemprop="articleBody">')
    if a["lead"]:
        b.append(f'<p class="lead">{e(a["lead"])}</p>')
    b.extend(body_html(a))
    b.append("</div>")
    b.append(f'<div class="tags"><span>{e(l["tags"])}</span> <a href="/t/a">{e(l["nav"][1])}</a> <a href="/t/b">{e(l["nav"][2])}</a></div>')
    b.append(f'<div class="follow-us"><p>{e(l["follow"])}</p></div>')
    b.append("</div>")
    b.append(f'<div class="rail"><div class="ranking"><h3>{e(l["most_read"])}</h3><ol>' + "".join(
        f'<li><a href="/x/{i}"><span class="n">{i+1}</span> {e(t)}</a></li>' for i, t in enumerate(l["others"])) + "</ol></div></div>")
    b.append("</div>" + footer(l) + "</body></html>")
    return "".join(b)

TEMPLATES = [t_semantic, t_divs, t_blog, t_portal, t_list]

# ---- feed text ----

def text_page(a, l, style):
    """Feed text, as a feed or a stripped page delivers it: the shapes of the seeds, in each language."""
    paras = [v for k, v in a["body"] if k == "p"]
    lines = []
    if style == 0:
        lines += [f"{l['site']} - {a['title']}", "", a["title"], "", f"{l['textsize']}:", ""]
        lines += [f"{a['title']} / {l['photo']}: Anna MARTINI - {l['agency'].upper()}/Archives", ""]
        for p in paras + after(a):
            lines += [p, ""]
        lines += ["M.Rossi--GDL", "", "En vedette" if a["lang"] == "fr" else l["related"], ""]
        for t in l["others"][:3]:
            lines += [t, ""]
    elif style == 1:
        lines += [a["title"], ""]
        lines += ["\n".join(paras + after(a)), ""]
        lines += [l["like"], ""]
        lines += [f"{l['teaser_cats'][0]}{l['blurbs'][0]}", f"{l['teaser_cats'][1]}{l['blurbs'][1]}", f"{l['teaser_cats'][2]}{l['blurbs'][2]}"]
    elif style == 2:
        lines += [l["cookie"], "", f"{l['by']} Redazione {l['site']}", ""]
        for p in paras + after(a):
            lines += [p, ""]
        lines += [l["newsletter"], "", l["related2"], ""]
        for t in l["others"][:4]:
            lines += [t]
        lines += ["", l["footer"]]
    return "\n".join(lines) + "\n"

def boilerplate_only(l, lang):
    """A page that is nothing but chrome: an index page with teasers, no article."""
    b = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(l["site"])}</title></head><body>',
         f'<header><nav>{nav_html(l)}</nav></header><main><div class="home">',
         cards(l, "teaser"), related_list(l), '</div></main>', footer(l), "</body></html>"]
    return "".join(b)

def write(name, data):
    path = os.path.join(OUT, "html", name)
    if name.endswith(".gz"):
        with gzip.GzipFile(path, "wb", mtime=0) as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)

gt = {}
t_i = 0
s_i = 0
for a in A:
    l = L[a["lang"]]
    key = a["key"]
    url = f"https://{l['site'].lower().replace(' ', '').replace(chr(39), '').replace('é', 'e')}.example/{key}"
    if a.get("kind") == "text":
        style = s_i % 3
        s_i += 1
        write(key + ".txt", text_page(a, l, style).encode("utf-8"))
        entry = {"articleBody": truth(a), "url": url}
        if style != 0:
            entry["title"] = a["title"]
        gt[key] = entry
        continue
    if key == "fr-marche-latin1":
        page = t_legacy(a, l, "windows-1252").encode("cp1252")
    elif key == "it-notizie-legacy":
        page = t_legacy(a, l).encode("utf-8")
    else:
        page = TEMPLATES[t_i % len(TEMPLATES)](a, l).encode("utf-8")
        t_i += 1
    write(key + ".html.gz", page)
    gt[key] = {"articleBody": truth(a), "url": url}

for lang in ["en", "de"]:
    key = f"{lang}-index-only"
    write(key + ".html.gz", boilerplate_only(L[lang], lang).encode("utf-8"))
    gt[key] = {"articleBody": "", "url": f"https://index.example/{lang}"}

with open(os.path.join(OUT, "ground-truth.json"), "w", encoding="utf-8") as f:
    json.dump(gt, f, ensure_ascii=False, indent=1, sort_keys=True)
    f.write("\n")
print(len(gt), "pages")
