package render

// Outlet is one fictional news site. Each has its own page template so that
// its boilerplate (cookie banner, menus, teasers, newsletter box, footer)
// recurs on every page of that site and differs between sites, as on the web.
type Outlet struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Lang    string   `json:"lang"`
	Tagline string   `json:"tagline"`
	Nav     []string `json:"-"`
	// FeedQuery is appended to the links of the outlet's own feed, the way
	// real sites tag their feed traffic; the pages' rel=canonical omits it.
	FeedQuery string `json:"feed_query,omitempty"`
	tmpl      string
}

// Outlets lists the sample sites in a fixed order.
func Outlets() []Outlet {
	return []Outlet{
		{ID: "ilfaro", Name: "Il Faro Quotidiano", Lang: "it", Tagline: "Il giornale del Ponente dal 1952",
			Nav: []string{"Home", "Cronaca", "Politica", "Economia", "Sport", "Cultura", "Spettacoli", "Meteo"}, tmpl: ilFaroTmpl},
		{ID: "cronacaverde", Name: "Cronaca Verde", Lang: "it", Tagline: "Notizie dal Piemonte e dalla Valle d'Aosta",
			Nav: []string{"Territorio", "Ambiente", "Economia", "Trasporti", "Cultura", "Sport", "Opinioni"}, tmpl: cronacaVerdeTmpl},
		{ID: "echovallees", Name: "L'Écho des Vallées", Lang: "fr", Tagline: "Le quotidien des Alpes du Sud",
			Nav: []string{"Actualité", "Vallées", "Économie", "Sports", "Vie locale", "Culture", "Météo"}, tmpl: echoTmpl},
		{ID: "laboussole", Name: "La Boussole", Lang: "fr", Tagline: "L'information qui garde le cap",
			Nav: []string{"France", "Monde", "Économie", "Faits divers", "Culture", "Idées"}, FeedQuery: "utm_source=rss&utm_medium=flux", tmpl: boussoleTmpl},
		{ID: "harbourherald", Name: "The Harbour Herald", Lang: "en", Tagline: "Independent news since 1871",
			Nav: []string{"News", "World", "Environment", "Business", "Sport", "Culture", "Opinion"}, tmpl: heraldTmpl},
		{ID: "dailylantern", Name: "The Daily Lantern", Lang: "en", Tagline: "Shedding light since 1923",
			Nav: []string{"Home", "UK", "World", "Business", "Money", "Travel", "Sport", "Lifestyle"}, tmpl: lanternTmpl},
	}
}

// Each template gets a pageData. Body paragraphs go through the "body"
// template defined per outlet so that inline teasers can sit between them.

const ilFaroTmpl = `<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.P.Title}} - {{.O.Name}}</title>
<meta name="description" content="{{.P.Summary}}">
<meta name="author" content="{{.P.Author}}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{{.O.Name}}">
<meta property="og:title" content="{{.P.Title}}">
<meta property="og:description" content="{{.P.Summary}}">
<meta property="og:image" content="{{.Img}}">
<meta property="article:published_time" content="{{.ISO}}">
<meta property="article:section" content="{{.P.Section}}">
<link rel="canonical" href="/{{.Path}}">
<style>
body{margin:0;font-family:Georgia,serif;color:#1b1b1b;background:#fff}
.cookie{position:fixed;bottom:0;left:0;right:0;background:#14213d;color:#fff;padding:12px 20px;font:14px Arial,sans-serif;z-index:9}
.cookie button{margin-right:8px}
.masthead{border-bottom:4px solid #c1121f;text-align:center;padding:10px}
.topbar{font:12px Arial,sans-serif;text-align:right}
.logo{font-size:44px;font-weight:bold;color:#c1121f;text-decoration:none}
.masthead nav ul{list-style:none;padding:0;margin:8px 0 0}
.masthead nav li{display:inline;margin:0 10px;font:bold 14px Arial,sans-serif;text-transform:uppercase}
main{max-width:760px;margin:20px auto;padding:0 16px}
.kicker{color:#c1121f;font:bold 13px Arial,sans-serif;text-transform:uppercase}
.byline,.share{font:13px Arial,sans-serif;color:#555}
figure{margin:16px 0}figcaption{font:12px Arial,sans-serif;color:#666}
.inline-read{border-left:4px solid #c1121f;padding:6px 12px;margin:16px 0;font:14px Arial,sans-serif}
.related .teaser{border-top:1px solid #ddd;padding:8px 0}
.newsletter{background:#f1f1f1;padding:16px;margin:24px 0}
footer{background:#222;color:#ccc;font:12px Arial,sans-serif;padding:20px;margin-bottom:60px}
footer a{color:#ccc}
</style>
</head>
<body class="faro">
<div id="cookie-banner" class="cookie" role="dialog">
<p>Noi e terze parti selezionate utilizziamo cookie o tecnologie simili per finalità tecniche e, con il tuo consenso, anche per altre finalità come specificato nella <a href="/ilfaro/">cookie policy</a>. Il rifiuto del consenso può rendere non disponibili le relative funzioni.</p>
<button type="button">Accetta</button><button type="button">Rifiuta</button><button type="button">Personalizza</button>
</div>
<header class="masthead">
<div class="topbar"><a href="/ilfaro/">Abbonati</a> | <a href="/ilfaro/">Accedi</a> | <a href="/ilfaro/feed.xml">RSS</a></div>
<a class="logo" href="/ilfaro/">Il Faro <small>Quotidiano</small></a>
<p class="tagline">{{.O.Tagline}}</p>
<nav><ul>{{range .O.Nav}}<li><a href="/ilfaro/">{{.}}</a></li>{{end}}</ul></nav>
</header>
<main>
<article class="story">
<p class="kicker">{{.P.Section}}</p>
<h1>{{.P.Title}}</h1>
<p class="standfirst"><strong>{{.P.Summary}}</strong></p>
<p class="byline">di <span class="author">{{.P.Author}}</span> &middot; <time datetime="{{.ISO}}">{{.Date}}</time></p>
<div class="share">Condividi: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">WhatsApp</a> <a href="#">Telegram</a> <a href="#">Email</a></div>
<figure><img src="{{.Img}}" alt="{{.P.Photo}}" width="760" height="428"><figcaption>{{.P.Photo}} <span class="credit">({{.P.Credit}})</span></figcaption></figure>
<div class="article-body">
{{range $i, $p := .Paras}}{{if $p.Heading}}<h2>{{$p.Text}}</h2>
{{else}}<p>{{$p.Text}}</p>
{{end}}{{if and (eq $i 1) $.Inline}}<aside class="inline-read"><strong>LEGGI ANCHE</strong> &rsaquo; <a href="/{{$.Inline.Path}}">{{$.Inline.Title}}</a></aside>
{{end}}{{end}}</div>
<p class="tags">Argomenti: <a href="/ilfaro/">{{.P.Section}}</a> <a href="/ilfaro/">Ponente</a></p>
<div class="share bottom">Ti è piaciuto questo articolo? Condividilo: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">WhatsApp</a> <a href="#">Copia link</a></div>
</article>
<section class="related">
<h2>Leggi anche</h2>
{{range .Related}}<div class="teaser"><span class="kicker">{{.Section}}</span><h3><a href="/{{.Path}}">{{.Title}}</a></h3><p>{{.Summary}}</p></div>
{{end}}</section>
<section class="newsletter">
<h2>Iscriviti alla newsletter</h2>
<p>Ogni mattina alle 7 le notizie più importanti del Ponente direttamente nella tua casella di posta. È gratis e puoi cancellarti quando vuoi.</p>
<form action="#"><input type="email" placeholder="Il tuo indirizzo email"> <button type="submit">Iscriviti</button></form>
<p><small>Iscrivendoti dichiari di aver letto l'informativa sulla privacy.</small></p>
</section>
</main>
<footer>
<p><a href="/ilfaro/">Chi siamo</a> | <a href="/ilfaro/">Redazione</a> | <a href="/ilfaro/">Contatti</a> | <a href="/ilfaro/">Pubblicità</a> | <a href="/ilfaro/">Privacy</a> | <a href="/ilfaro/">Cookie policy</a> | <a href="/ilfaro/">Abbonamenti</a></p>
<p>&copy; 2026 Il Faro Quotidiano S.r.l. - P.IVA 01234560089 - Registrazione Tribunale di Imperia n. 4/1952 - Direttore responsabile: Franco Aicardi</p>
<p>È vietata la riproduzione, anche parziale, dei contenuti pubblicati su questo sito senza autorizzazione.</p>
</footer>
</body>
</html>
`

const cronacaVerdeTmpl = `<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<title>{{.P.Title}} | {{.O.Name}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{{.P.Title}}">
<meta property="og:site_name" content="{{.O.Name}}">
<meta property="og:type" content="article">
<meta property="og:image" content="{{.Img}}">
<meta property="og:locale" content="it_IT">
<meta name="author" content="{{.P.Author}}">
<meta property="article:published_time" content="{{.ISO}}">
<meta property="article:section" content="{{.P.Section}}">
<meta name="description" content="{{.P.Summary}}">
<link rel="canonical" href="/{{.Path}}">
<link rel="alternate" type="application/rss+xml" title="{{.O.Name}}" href="/cronacaverde/feed.xml">
<style>
body{margin:0;font-family:Helvetica,Arial,sans-serif;background:#f6f8f4;color:#222}
#cv-cookie{background:#fff;border:2px solid #2d6a4f;padding:14px;margin:10px}
.cv-top{background:#2d6a4f;color:#fff;padding:14px 24px}
.cv-top a{color:#fff}
.cv-brand{font-size:32px;font-weight:700;text-decoration:none}
.cv-menu a{margin-right:14px;font-size:14px}
.cv-wrapper{display:flex;gap:24px;max-width:1040px;margin:20px auto;padding:0 16px}
.cv-main{flex:3;background:#fff;padding:20px}
.cv-sidebar{flex:1}
.cv-sidebar .box{background:#fff;padding:14px;margin-bottom:16px}
.cv-photo figcaption{font-size:12px;color:#555}
.cv-social a{display:inline-block;margin-right:6px;padding:4px 8px;background:#e9f0e6;font-size:12px}
.cv-related li{margin-bottom:10px}
.cv-footer{background:#1b4332;color:#d8e2dc;padding:24px;font-size:12px}
.cv-footer a{color:#d8e2dc}
</style>
</head>
<body>
<div id="cv-cookie">
<strong>Informativa sui cookie</strong>
<p>Questo sito utilizza cookie tecnici e, previo tuo consenso, cookie di profilazione e di terze parti per mostrarti pubblicità in linea con le tue preferenze. Chiudendo questo banner o proseguendo la navigazione acconsenti all'uso dei soli cookie tecnici.</p>
<button type="button">Accetta tutti</button> <button type="button">Solo necessari</button> <a href="/cronacaverde/">Maggiori informazioni</a>
</div>
<div class="cv-top">
<a class="cv-brand" href="/cronacaverde/">Cronaca Verde</a> <span>{{.O.Tagline}}</span>
<div class="cv-menu">{{range .O.Nav}}<a href="/cronacaverde/">{{.}}</a>{{end}}<a href="/cronacaverde/">Cerca</a></div>
</div>
<div class="cv-wrapper">
<main class="cv-main">
<div class="cv-breadcrumb"><a href="/cronacaverde/">Home</a> &gt; <a href="/cronacaverde/">{{.P.Section}}</a></div>
<article>
<header>
<h1>{{.P.Title}}</h1>
<h2 class="cv-summary">{{.P.Summary}}</h2>
<div class="cv-meta">{{.Date}} &mdash; <a rel="author" href="/cronacaverde/">{{.P.Author}}</a></div>
</header>
<figure class="cv-photo"><img src="{{.Img}}" alt="" width="700" height="394"><figcaption>{{.P.Photo}}. {{.P.Credit}}</figcaption></figure>
{{range .Paras}}{{if .Heading}}<h3>{{.Text}}</h3>
{{else}}<p>{{.Text}}</p>
{{end}}{{end}}<div class="cv-social">Condividi <a href="#">Facebook</a><a href="#">X</a><a href="#">LinkedIn</a><a href="#">WhatsApp</a></div>
<p class="cv-copy">Riproduzione riservata &copy; Cronaca Verde</p>
</article>
<section class="cv-related">
<h2>Leggi anche</h2>
<ul>{{range .Related}}<li><a href="/{{.Path}}">{{.Title}}</a> <small>{{.Date}}</small></li>
{{end}}</ul>
</section>
</main>
<aside class="cv-sidebar">
<div class="box"><h3>I più letti</h3><ol>{{range .MostRead}}<li><a href="/{{.Path}}">{{.Title}}</a></li>{{end}}</ol></div>
<div class="box cv-newsletter"><h3>Iscriviti alla newsletter</h3><p>Ogni venerdì una selezione delle storie del territorio, dell'ambiente e dell'economia locale.</p><form action="#"><input type="email" placeholder="Email"><button type="submit">Iscriviti</button></form></div>
<div class="box"><h3>Pubblicità</h3><p>Spazio disponibile per la tua azienda. Contatta l'ufficio commerciale.</p></div>
</aside>
</div>
<footer class="cv-footer">
<p>Cronaca Verde &mdash; Testata giornalistica registrata presso il Tribunale di Aosta n. 12/2008. Editore: Edizioni Alpe Verde Soc. Coop., via dei Mulini 14, Aosta. P.IVA 00987650074.</p>
<p><a href="/cronacaverde/">Chi siamo</a> &middot; <a href="/cronacaverde/">Scrivi alla redazione</a> &middot; <a href="/cronacaverde/">Privacy policy</a> &middot; <a href="/cronacaverde/">Cookie policy</a> &middot; <a href="/cronacaverde/feed.xml">Feed RSS</a></p>
</footer>
</body>
</html>
`

const echoTmpl = `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{{.P.Title}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{{.P.Summary}}">
<meta property="og:site_name" content="{{.O.Name}}">
<meta property="og:title" content="{{.P.Title}}">
<meta property="og:description" content="{{.P.Summary}}">
<meta property="og:type" content="article">
<meta property="og:image" content="{{.Img}}">
<meta property="article:published_time" content="{{.ISO}}">
<meta property="article:author" content="{{.P.Author}}">
<meta name="author" content="{{.P.Author}}">
<link rel="canonical" href="/{{.Path}}">
<style>
body{margin:0;font-family:"Trebuchet MS",sans-serif;color:#202020}
.ev-consent{background:#fdf6e3;border-bottom:1px solid #c9b37e;padding:12px 20px;font-size:14px}
.ev-header{display:flex;align-items:center;justify-content:space-between;padding:12px 24px;border-bottom:1px solid #ccc}
.ev-logo{font-family:Georgia,serif;font-size:34px;color:#003566;text-decoration:none}
.ev-nav{background:#003566;padding:8px 24px}
.ev-nav a{color:#fff;margin-right:16px;font-size:14px}
.ev-page{max-width:720px;margin:24px auto;padding:0 16px}
.ev-chapo{font-size:19px;font-weight:bold}
.ev-date{color:#666;font-size:13px}
.ev-figure figcaption{font-size:12px;color:#555;font-style:italic}
.ev-share a{margin-right:8px;font-size:13px}
.ev-lire{background:#eef3f8;padding:14px;margin:24px 0}
.ev-newsletter{border:2px solid #003566;padding:16px}
.ev-footer{background:#f0f0f0;padding:20px 24px;font-size:12px}
</style>
</head>
<body>
<div class="ev-consent" id="consent">
<p><strong>Nous respectons votre vie privée.</strong> Avec votre accord, nous et nos 142 partenaires utilisons des cookies ou technologies similaires pour stocker et accéder à des informations personnelles comme votre visite sur ce site. Vous pouvez retirer votre consentement ou vous opposer aux traitements basés sur l'intérêt légitime à tout moment en cliquant sur « En savoir plus » ou dans notre politique de confidentialité sur ce site.</p>
<button type="button">Accepter et fermer</button> <button type="button">Continuer sans accepter</button> <a href="/echovallees/">En savoir plus</a>
</div>
<header class="ev-header">
<a class="ev-logo" href="/echovallees/">L'Écho des Vallées</a>
<div><a href="/echovallees/">Je m'abonne</a> &middot; <a href="/echovallees/">Se connecter</a></div>
</header>
<nav class="ev-nav">{{range .O.Nav}}<a href="/echovallees/">{{.}}</a>{{end}}</nav>
<div class="ev-page">
<article class="ev-article">
<p class="ev-rubrique"><a href="/echovallees/">{{.P.Section}}</a></p>
<h1>{{.P.Title}}</h1>
<p class="ev-chapo">{{.P.Summary}}</p>
<p class="ev-date">Par {{.P.Author}} &mdash; <time datetime="{{.ISO}}">{{.Date}}</time></p>
<div class="ev-share">Partager : <a href="#">Facebook</a> <a href="#">X</a> <a href="#">WhatsApp</a> <a href="#">Envoyer par e-mail</a></div>
<figure class="ev-figure"><img src="{{.Img}}" alt="{{.P.Photo}}" width="720" height="405"><figcaption>{{.P.Photo}}. {{.P.Credit}}</figcaption></figure>
{{range .Paras}}{{if .Heading}}<h2>{{.Text}}</h2>
{{else}}<p>{{.Text}}</p>
{{end}}{{end}}</article>
<div class="ev-share">Vous avez aimé cet article ? Partagez-le : <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Copier le lien</a></div>
<aside class="ev-lire">
<h2>Lire aussi</h2>
{{range .Related}}<div class="ev-teaser"><a href="/{{.Path}}"><strong>{{.Title}}</strong></a><p>{{.Summary}}</p></div>
{{end}}</aside>
<section class="ev-newsletter">
<h2>Abonnez-vous à notre newsletter</h2>
<p>Recevez chaque matin l'essentiel de l'actualité de votre vallée : faits divers, vie locale, sports et météo.</p>
<form action="#"><input type="email" placeholder="Votre adresse e-mail"> <button type="submit">Je m'inscris</button></form>
<p><small>Vos données sont traitées conformément à notre politique de confidentialité. Vous pouvez vous désinscrire à tout moment.</small></p>
</section>
</div>
<footer class="ev-footer">
<p><a href="/echovallees/">Mentions légales</a> - <a href="/echovallees/">Politique de confidentialité</a> - <a href="/echovallees/">Gestion des cookies</a> - <a href="/echovallees/">Nous contacter</a> - <a href="/echovallees/">Annonces légales</a> - <a href="/echovallees/feed.xml">Flux RSS</a></p>
<p>&copy; L'Écho des Vallées 2026 - Tous droits réservés. Toute reproduction interdite sans autorisation.</p>
</footer>
</body>
</html>
`

const boussoleTmpl = `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.P.Title}} - {{.O.Name}}</title>
<link rel="canonical" href="/{{.Path}}">
<meta property="og:title" content="{{.P.Title}}">
<meta property="og:site_name" content="{{.O.Name}}">
<meta property="og:type" content="article">
<meta property="og:image" content="{{.Img}}">
<meta property="article:published_time" content="{{.ISO}}">
<meta property="article:section" content="{{.P.Section}}">
<meta name="author" content="{{.P.Author}}">
<meta name="description" content="{{.P.Summary}}">
<style>
body{margin:0;font-family:"Times New Roman",serif;background:#fffdf8;color:#111}
.bsl-cookies{position:fixed;top:20%;left:25%;width:50%;background:#fff;box-shadow:0 0 20px #888;padding:20px;font-family:Arial,sans-serif;font-size:14px}
.bsl-head{text-align:center;padding:16px;border-bottom:1px solid #000}
.bsl-logo{font-size:40px;letter-spacing:2px;color:#000;text-decoration:none}
.bsl-menu{text-align:center;padding:8px;border-bottom:3px double #000;font-family:Arial,sans-serif;font-size:13px}
.bsl-menu a{margin:0 10px;color:#000}
.bsl-grid{max-width:700px;margin:24px auto;padding:0 16px}
.bsl-offert{background:#ffe8a3;padding:6px 10px;font-family:Arial,sans-serif;font-size:13px}
.bsl-legende{font-family:Arial,sans-serif;font-size:12px;color:#444}
.bsl-tools a{font-family:Arial,sans-serif;font-size:12px;margin-right:10px}
.bsl-aussi{border-top:2px solid #000;margin-top:24px}
.bsl-nl{background:#111;color:#fff;padding:18px;margin-top:24px}
.bsl-foot{border-top:1px solid #000;padding:18px;font-family:Arial,sans-serif;font-size:12px;text-align:center}
</style>
</head>
<body>
<header class="bsl-head">
<a class="bsl-logo" href="/laboussole/">LA BOUSSOLE</a>
<div class="bsl-slogan">{{.O.Tagline}}</div>
</header>
<nav class="bsl-menu">{{range .O.Nav}}<a href="/laboussole/">{{.}}</a>{{end}}<a href="/laboussole/">S'abonner</a></nav>
<div class="bsl-grid">
<p class="bsl-offert">Cet article vous est offert. Pour lire tous nos articles, abonnez-vous dès 1 euro le premier mois.</p>
<article>
<div class="bsl-rubrique">{{.P.Section}}</div>
<h1 class="bsl-titre">{{.P.Title}}</h1>
<p class="bsl-chapeau"><em>{{.P.Summary}}</em></p>
<div class="bsl-signature">{{.P.Author}}, <time datetime="{{.ISO}}">{{.Date}}</time></div>
<div class="bsl-tools"><a href="#">Partager sur Facebook</a><a href="#">Partager sur X</a><a href="#">Partager sur LinkedIn</a><a href="#">Imprimer</a><a href="#">Offrir cet article</a></div>
<figure><img src="{{.Img}}" alt="" width="700" height="394"><figcaption class="bsl-legende">{{.P.Photo}} | {{.P.Credit}}</figcaption></figure>
<div class="bsl-texte">
{{range .Paras}}{{if .Heading}}<h2>{{.Text}}</h2>
{{else}}<p>{{.Text}}</p>
{{end}}{{end}}</div>
</article>
<section class="bsl-aussi">
<h2>Lire aussi</h2>
<ul>{{range .Related}}<li><a href="/{{.Path}}">{{.Title}}</a> &ndash; <span>{{.Summary}}</span></li>
{{end}}</ul>
</section>
<section class="bsl-nl">
<h2>Abonnez-vous à notre newsletter</h2>
<p>Chaque soir à 18 heures, les cinq informations à retenir de la journée, sélectionnées par la rédaction de La Boussole.</p>
<form action="#"><input type="email" placeholder="adresse@exemple.fr"> <button type="submit">S'inscrire gratuitement</button></form>
</section>
</div>
<footer class="bsl-foot">
<p>La Boussole est éditée par la SAS Presse du Cap, au capital de 240 000 euros. Directrice de la publication : Hélène Berthier.</p>
<p><a href="/laboussole/">Qui sommes-nous ?</a> | <a href="/laboussole/">Charte déontologique</a> | <a href="/laboussole/">CGU</a> | <a href="/laboussole/">Données personnelles</a> | <a href="/laboussole/">Cookies</a> | <a href="/laboussole/">Contact</a></p>
<p>&copy; La Boussole 2026</p>
</footer>
<div class="bsl-cookies" id="didomi-like">
<h2>Vos choix concernant les cookies</h2>
<p>La Boussole et ses partenaires utilisent des cookies pour mesurer l'audience, personnaliser les contenus et vous proposer des publicités adaptées. Vous pouvez accepter, refuser ou paramétrer ces cookies. Votre choix est conservé pendant six mois.</p>
<button type="button">Tout accepter</button> <button type="button">Tout refuser</button> <button type="button">Personnaliser mes choix</button>
</div>
</body>
</html>
`

const heraldTmpl = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.P.Title}} | {{.P.Section}} | {{.O.Name}}</title>
<meta name="description" content="{{.P.Summary}}">
<meta name="author" content="{{.P.Author}}">
<meta property="og:title" content="{{.P.Title}}">
<meta property="og:description" content="{{.P.Summary}}">
<meta property="og:type" content="article">
<meta property="og:image" content="{{.Img}}">
<meta property="og:site_name" content="{{.O.Name}}">
<meta property="article:published_time" content="{{.ISO}}">
<meta property="article:section" content="{{.P.Section}}">
<meta name="twitter:card" content="summary_large_image">
<link rel="canonical" href="/{{.Path}}">
<style>
body{margin:0;font-family:Georgia,serif;color:#121212}
.hh-cookie{background:#052962;color:#fff;padding:16px 24px;font-family:Arial,sans-serif;font-size:14px}
.hh-mast{background:#052962;color:#fff;padding:18px 24px;border-top:1px solid #2a4a8a}
.hh-mast a{color:#fff;text-decoration:none}
.hh-title{font-size:42px;font-weight:bold}
.hh-nav{background:#0a3a82;padding:8px 24px;font-family:Arial,sans-serif}
.hh-nav a{color:#fff;margin-right:18px;font-size:14px}
.hh-support{background:#ffe500;padding:8px 24px;font-family:Arial,sans-serif;font-size:13px}
.hh-article{max-width:680px;margin:24px auto;padding:0 16px}
.hh-standfirst{font-size:20px;color:#333}
.hh-meta{font-family:Arial,sans-serif;font-size:13px;color:#707070;border-top:1px solid #ddd;padding-top:8px}
.hh-caption{font-family:Arial,sans-serif;font-size:12px;color:#707070}
.hh-readmore-inline{font-family:Arial,sans-serif;font-weight:bold;margin:18px 0}
.hh-share a{font-family:Arial,sans-serif;font-size:12px;margin-right:8px}
.hh-more{max-width:980px;margin:24px auto;padding:0 16px;border-top:3px solid #052962}
.hh-card{display:inline-block;width:30%;vertical-align:top;margin-right:2%}
.hh-signup{background:#edf3fb;max-width:680px;margin:24px auto;padding:18px}
.hh-footer{background:#052962;color:#dcdcdc;padding:24px;font-family:Arial,sans-serif;font-size:12px}
.hh-footer a{color:#dcdcdc}
</style>
</head>
<body>
<div class="hh-cookie" id="cmp">
<p><strong>Your privacy.</strong> We use cookies to improve your experience on our site, to personalise content and ads, and to analyse our traffic. We also share information about your use of our site with our advertising and analytics partners. You can change your choices at any time by visiting Cookie settings.</p>
<button type="button">Accept all</button> <button type="button">Reject all</button> <button type="button">Manage preferences</button>
</div>
<header class="hh-mast"><a class="hh-title" href="/harbourherald/">The Harbour Herald</a><div>{{.O.Tagline}}</div></header>
<nav class="hh-nav">{{range .O.Nav}}<a href="/harbourherald/">{{.}}</a>{{end}}<a href="/harbourherald/">Search</a></nav>
<div class="hh-support">Support the Herald: our journalism is free to read, funded by readers. <a href="/harbourherald/">Contribute from £2</a></div>
<article class="hh-article">
<a class="hh-section" href="/harbourherald/">{{.P.Section}}</a>
<h1>{{.P.Title}}</h1>
<p class="hh-standfirst">{{.P.Summary}}</p>
<figure><img src="{{.Img}}" alt="{{.P.Photo}}" width="680" height="408"><figcaption class="hh-caption">{{.P.Photo}}. {{.P.Credit}}</figcaption></figure>
<div class="hh-meta"><address class="author">{{.P.Author}}</address><time datetime="{{.ISO}}">{{.Date}}</time></div>
<div class="hh-share"><a href="#">Share on Facebook</a><a href="#">Share on X</a><a href="#">Share on LinkedIn</a><a href="#">Share via Email</a><a href="#">Copy link</a></div>
<div class="hh-body">
{{range $i, $p := .Paras}}{{if $p.Heading}}<h2>{{$p.Text}}</h2>
{{else}}<p>{{$p.Text}}</p>
{{end}}{{if and (eq $i 2) $.Inline}}<p class="hh-readmore-inline">Read more: <a href="/{{$.Inline.Path}}">{{$.Inline.Title}}</a></p>
{{end}}{{end}}</div>
<p class="hh-topics">Topics: <a href="/harbourherald/">{{.P.Section}}</a></p>
</article>
<section class="hh-signup">
<h2>Sign up for our newsletter</h2>
<p>The Morning Tide: the day's essential stories, in your inbox at 7am. Free, and you can unsubscribe at any time.</p>
<form action="#"><input type="email" placeholder="Enter your email address"> <button type="submit">Sign up</button></form>
<p><small>We will use your email to send you the newsletter. See our privacy notice for how we handle your data.</small></p>
</section>
<section class="hh-more">
<h2>Read more</h2>
{{range .Related}}<div class="hh-card"><a href="/{{.Path}}"><h3>{{.Title}}</h3></a><p>{{.Summary}}</p><span>{{.Date}}</span></div>
{{end}}</section>
<footer class="hh-footer">
<p><a href="/harbourherald/">About us</a> | <a href="/harbourherald/">Contact us</a> | <a href="/harbourherald/">Complaints &amp; corrections</a> | <a href="/harbourherald/">Terms &amp; conditions</a> | <a href="/harbourherald/">Privacy policy</a> | <a href="/harbourherald/">Cookie settings</a> | <a href="/harbourherald/feed.xml">RSS</a></p>
<p>&copy; 2026 Harbour Herald Media Ltd. All rights reserved. Registered in England and Wales No. 01234567.</p>
</footer>
</body>
</html>
`

const lanternTmpl = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.P.Title}} - The Daily Lantern</title>
<meta property="og:title" content="{{.P.Title}}">
<meta property="og:site_name" content="{{.O.Name}}">
<meta property="og:type" content="article">
<meta property="og:image" content="{{.Img}}">
<meta property="article:published_time" content="{{.ISO}}">
<meta name="author" content="{{.P.Author}}">
<meta name="description" content="{{.P.Summary}}">
<link rel="canonical" href="/{{.Path}}">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":{{.P.Title}},"datePublished":{{.ISO}},"author":{"@type":"Person","name":{{.P.Author}}},"publisher":{"@type":"Organization","name":"The Daily Lantern"}}</script>
<style>
body{margin:0;font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;background:#fafafa}
.dl-gdpr{position:fixed;bottom:0;width:100%;background:#fff;border-top:3px solid #f4a300;padding:14px 24px;font-size:14px}
.dl-top{background:#111;color:#f4a300;padding:14px 24px}
.dl-top a{color:#f4a300;text-decoration:none}
.dl-logo{font-family:Georgia,serif;font-size:36px}
.dl-nav{background:#222;padding:8px 24px}
.dl-nav a{color:#eee;margin-right:14px;font-size:13px;text-transform:uppercase}
.dl-layout{display:grid;grid-template-columns:3fr 1fr;gap:28px;max-width:1080px;margin:20px auto;padding:0 16px}
.dl-story{background:#fff;padding:20px}
.dl-lede{font-size:18px;font-weight:bold}
.dl-byline{font-size:13px;color:#666}
.dl-pic figcaption{font-size:12px;color:#777}
.dl-share button{margin-right:6px}
.dl-rail section{background:#fff;padding:14px;margin-bottom:16px}
.dl-readmore li{margin-bottom:8px}
.dl-cta{background:#fff4d6;padding:16px;margin-top:20px}
.dl-foot{background:#111;color:#aaa;padding:24px;font-size:12px;margin-bottom:70px}
.dl-foot a{color:#aaa}
</style>
</head>
<body>
<header class="dl-top"><a class="dl-logo" href="/dailylantern/">The Daily Lantern</a> <span>{{.O.Tagline}}</span> <a href="/dailylantern/">Log in</a> <a href="/dailylantern/">Subscribe</a></header>
<nav class="dl-nav">{{range .O.Nav}}<a href="/dailylantern/">{{.}}</a>{{end}}</nav>
<div class="dl-layout">
<main>
<article class="dl-story">
<div class="dl-crumbs"><a href="/dailylantern/">Home</a> / <a href="/dailylantern/">{{.P.Section}}</a></div>
<h1>{{.P.Title}}</h1>
<p class="dl-lede">{{.P.Summary}}</p>
<p class="dl-byline">By <a rel="author" href="/dailylantern/">{{.P.Author}}</a> | Published <time datetime="{{.ISO}}">{{.Date}}</time></p>
<div class="dl-share"><button type="button">Share</button><button type="button">Save</button><button type="button">Comments (0)</button></div>
<figure class="dl-pic"><img src="{{.Img}}" alt="{{.P.Photo}}" width="720" height="405"><figcaption>{{.P.Photo}} &copy; {{.P.Credit}}</figcaption></figure>
{{range .Paras}}{{if .Heading}}<h2>{{.Text}}</h2>
{{else}}<p>{{.Text}}</p>
{{end}}{{end}}<p class="dl-note"><em>Do you have a story for us? Email news@dailylantern.example or message us on WhatsApp.</em></p>
</article>
<section class="dl-cta">
<h2>Sign up for our newsletter</h2>
<p>Lantern Daily: the news you need, explained, every weekday morning. Plus our best reads at the weekend.</p>
<form action="#"><input type="email" placeholder="Your email"> <button type="submit">Subscribe</button></form>
</section>
<section class="dl-readmore">
<h2>Read more</h2>
<ul>{{range .Related}}<li><a href="/{{.Path}}">{{.Title}}</a><br><small>{{.Summary}}</small></li>
{{end}}</ul>
</section>
</main>
<aside class="dl-rail">
<section><h3>Most read</h3><ol>{{range .MostRead}}<li><a href="/{{.Path}}">{{.Title}}</a></li>{{end}}</ol></section>
<section><h3>Advertisement</h3><p>Compare energy deals in minutes. Switch today and save.</p></section>
</aside>
</div>
<footer class="dl-foot">
<p><a href="/dailylantern/">About the Lantern</a> &middot; <a href="/dailylantern/">Editorial standards</a> &middot; <a href="/dailylantern/">Advertise</a> &middot; <a href="/dailylantern/">Privacy</a> &middot; <a href="/dailylantern/">Cookies</a> &middot; <a href="/dailylantern/">Accessibility</a> &middot; <a href="/dailylantern/feed.xml">RSS feed</a></p>
<p>&copy; The Daily Lantern Ltd 2026. The Daily Lantern is not responsible for the content of external sites.</p>
</footer>
<div class="dl-gdpr" id="gdpr">
<p>We and our partners use cookies and similar technologies to store and access information on your device, to show you personalised ads and content, and to measure our audience. Click "I agree" to consent, or "Options" to choose.</p>
<button type="button">I agree</button> <button type="button">Options</button>
</div>
</body>
</html>
`
