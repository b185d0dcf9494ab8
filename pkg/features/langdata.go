package features

// Language data, keyed by language code so that adding a language is adding
// entries here. All words are written folded (lower-case, no accents), the
// form Fold gives.

// months lists the month names of each language, January first; a slot may
// hold several spellings separated by "|".
var months = map[string][12]string{
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	"fr": {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"},
	"en": {"january|jan", "february|feb", "march|mar", "april|apr", "may", "june|jun", "july|jul", "august|aug", "september|sep|sept", "october|oct", "november|nov", "december|dec"},
	"de": {"januar|janner", "februar", "marz|maerz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre|setiembre", "octubre", "noviembre", "diciembre"},
	"pt": {"janeiro", "fevereiro", "marco", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"pl": {"styczen|stycznia", "luty|lutego", "marzec|marca", "kwiecien|kwietnia", "maj|maja", "czerwiec|czerwca", "lipiec|lipca", "sierpien|sierpnia", "wrzesien|wrzesnia", "pazdziernik|pazdziernika", "listopad|listopada", "grudzien|grudnia"},
	"tr": {"ocak", "subat", "mart", "nisan", "mayis", "haziran", "temmuz", "agustos", "eylul", "ekim", "kasim", "aralik"},
	"ru": {"январь|января", "февраль|февраля", "март|марта", "апрель|апреля", "май|мая", "июнь|июня", "июль|июля", "август|августа", "сентябрь|сентября", "октябрь|октября", "ноябрь|ноября", "декабрь|декабря"},
}

// capitalOnlyMonths are month spellings that are also common words ("may",
// "mar", "dec"); they count as months only when written with a capital.
var capitalOnlyMonths = map[string]bool{
	"may": true, "mar": true, "jan": true, "feb": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "marco": true,
}

// dateLinks may stand between a day and its month ("5 de mayo").
var dateLinks = map[string]bool{"de": true, "of": true}

// scales are number words that multiply the number before them
// ("16 milioni" → 16000000).
var scales = map[string]float64{
	"mila": 1e3, "mille": 1e3, "thousand": 1e3, "tausend": 1e3, "mil": 1e3, "duizend": 1e3,
	"million": 1e6, "millions": 1e6, "milione": 1e6, "milioni": 1e6, "mln": 1e6, "mio": 1e6,
	"millionen": 1e6, "millon": 1e6, "millones": 1e6, "milhao": 1e6, "milhoes": 1e6, "miljoen": 1e6,
	"billion": 1e9, "billions": 1e9, "miliardo": 1e9, "miliardi": 1e9, "milliard": 1e9, "milliards": 1e9,
	"milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "bilhao": 1e9, "bilhoes": 1e9, "miljard": 1e9, "bn": 1e9,
}

// locatives are the prepositions after which a name is most often a
// place, by language ("in Banstead", "à Cahors", "a Lecco", "en Sevilla").
// Not German, which capitalises every noun ("in Zukunft").
var locatives = map[string]map[string]bool{
	"en": {"in": true, "at": true, "near": true},
	"fr": {"a": true, "pres": true},
	"it": {"a": true, "in": true, "presso": true},
	"es": {"en": true},
	"pt": {"em": true},
	"nl": {"in": true, "bij": true},
}

// entityLinks may stand inside a name between two capitalised words
// ("Charles de Gaulle", "Ursula von der Leyen").
var entityLinks = map[string]bool{
	"de": true, "di": true, "da": true, "del": true, "della": true, "van": true, "von": true,
	"der": true, "den": true, "du": true, "dos": true, "das": true, "do": true, "al": true, "bin": true, "ben": true,
	"dell": true, "degli": true, "delle": true, "dei": true, "d": true, "des": true,
}

// demonyms maps a region code to the adjective and people forms, in the
// supported languages, that point at it without naming it.
var demonyms = map[string]string{
	"FR": "francese francesi frances francesa franceses francesas francais francaise francaises french franzose franzosen franzosisch franzosische franzosischen franzosischer franse",
	"IT": "italiano italiana italiani italiane italien italienne italiens italiennes italian italians italiener italienisch italienische italienischen italianos italianas italiaans italiaanse",
	"DE": "tedesco tedesca tedeschi tedesche allemand allemande allemands allemandes german germans deutsche deutschen deutscher deutsches aleman alemana alemanes alemanas alemao alema alemaes duits duitse",
	"ES": "spagnolo spagnola spagnoli spagnole espagnol espagnole espagnols espagnoles spanish spaniard spaniards spanisch spanische spanischen espanol espanola espanoles espanolas espanhol espanhola espanhois spaans spaanse",
	"PT": "portoghese portoghesi portugais portugaise portuguese portugiesisch portugiesische portugues portuguesa portugueses portuguesas portugees portugese",
	"GB": "britannico britannica britannici britanniche britannique britanniques british britisch britische britischen britanico britanica britanicos brits britse inglese inglesi anglais anglaise english englisch englische ingles inglesa engelse",
	"US": "statunitense statunitensi americano americana americani americane americain americaine americains americaines american americans amerikanisch amerikanische amerikanischen amerikaner estadounidense estadounidenses norte-americano amerikaans amerikaanse",
	"RU": "russo russa russi russe russes russian russians russisch russische russischen russen ruso rusa rusos rusas russos russas russisch",
	"UA": "ucraino ucraina ucraini ucraine ukrainien ukrainienne ukrainiens ukrainian ukrainians ukrainisch ukrainische ukrainischen ucraniano ucraniana ucranianos oekraiens oekraiense",
	"CN": "cinese cinesi chinois chinoise chinoises chinese chinesisch chinesische chinesischen chino china chinos chinas chines chinesa chineses",
	"JP": "giapponese giapponesi japonais japonaise japanese japanisch japanische japones japonesa japoneses japans japanse",
	"IL": "israeliano israeliana israeliani israeliane israelien israelienne israeliens israeli israelis israelisch israelische israelischen israeli israelies israelense israelenses israelisch israelische",
	"PS": "palestinese palestinesi palestinien palestinienne palestiniens palestinian palestinians palastinensisch palastinensische palastinenser palestino palestina palestinos palestiniano palestijns palestijnse",
	"IR": "iraniano iraniana iraniani iranien iranienne iraniens iranian iranians iranisch iranische irani iranies iraniano",
	"TR": "turco turca turchi turche turc turque turcs turques turkish turkisch turkische turken turcos turcas turks turkse",
	"GR": "greco greca greci greche grec grecque grecs greek greeks griechisch griechische griego griega griegos grego grega gregos grieks griekse",
	"PL": "polacco polacca polacchi polonais polonaise polnisch polnische polaco polaca polacos polones polonesa poolse",
	"CH": "svizzero svizzera svizzeri suisse suisses swiss schweizer schweizerische suizo suiza suizos suico suica zwitsers zwitserse",
	"BE": "belga belgi belge belges belgian belgians belgisch belgische belgas",
	"NL": "olandese olandesi neerlandais neerlandaise hollandais dutch niederlandisch niederlandische neerlandes holandes holandesa nederlands nederlandse",
	"AT": "austriaco austriaca austriaci autrichien autrichienne austrian osterreichisch osterreichische austriaca oostenrijks oostenrijkse",
	"IN": "indiano indiana indiani indien indienne indian indians indisch indische indio indios",
	"BR": "brasiliano brasiliana brasiliani bresilien bresilienne brazilian brasilianisch brasileno brasilena brasileiro brasileira braziliaans",
	"EG": "egiziano egiziana egiziani egyptien egyptienne egyptian agyptisch agyptische egipcio egipcia egipcio egyptisch",
	"SY": "siriano siriana siriani syrien syrienne syriens syrian syrians syrisch syrische sirio siria sirios syrische",
	"IQ": "iracheno irachena iracheni irakien irakienne iraqi iraqis irakisch irakische iraqui iraquies iraquiano",
	"AF": "afghano afghana afghani afghan afghane afghans afghanisch afgano afgana afegao afghaans",
	"KR": "sudcoreano sudcoreana sudcoreani sud-coreen sud-coreenne south korean sudkoreanisch surcoreano surcoreana sul-coreano zuid-koreaans",
	"KP": "nordcoreano nordcoreana nordcoreani nord-coreen nord-coreenne north korean nordkoreanisch norcoreano norcoreana norte-coreano noord-koreaans",
	"EU": "europeo europea europei europee europeen europeenne europeens european europaisch europaische europaischen europeo europeos europeu europeia europees europese",
	"MX": "messicano messicana messicani mexicain mexicaine mexican mexicans mexikanisch mexicano mexicana mexicanos mexicaans",
	"AR": "argentino argentina argentini argentin argentine argentinian argentinisch argentinos argentijns",
	"CA": "canadese canadesi canadien canadienne canadian canadians kanadisch kanadische canadiense canadense canadees",
	"AU": "australiano australiana australien australienne australian australians australisch australische australianos australisch",
	"SA": "saudita sauditi saoudien saoudienne saudi saudis saudisch saudi-arabisch saudies",
	"VE": "venezuelano venezuelana venezueliano venezuelien venezuelienne venezuelan venezolanisch venezolano venezolana venezuelano",
	"CO": "colombiano colombiana colombiani colombien colombienne colombian kolumbianisch colombianos colombiaans",
}

// cities maps a major city, by a canonical name, to its region code and its
// names in the supported languages (including the canonical one).
var cities = []struct {
	key, region string
	names       []string
}{
	{"paris", "FR", []string{"paris", "parigi", "parijs"}},
	{"lyon", "FR", []string{"lyon", "lione", "lyons"}},
	{"marseille", "FR", []string{"marseille", "marsiglia", "marseilles", "marsella", "marselha"}},
	{"rome", "IT", []string{"rome", "roma", "rom"}},
	{"milan", "IT", []string{"milan", "milano", "mailand", "milan", "milao"}},
	{"naples", "IT", []string{"naples", "napoli", "neapel", "napoles", "napels"}},
	{"turin", "IT", []string{"turin", "torino", "turim"}},
	{"venice", "IT", []string{"venice", "venezia", "venise", "venedig", "venecia", "veneza", "venetie"}},
	{"florence", "IT", []string{"florence", "firenze", "florenz", "florencia", "florenca"}},
	{"berlin", "DE", []string{"berlin", "berlino", "berlijn", "berlim"}},
	{"munich", "DE", []string{"munich", "munchen", "monaco di baviera", "munique", "munchen"}},
	{"cologne", "DE", []string{"cologne", "koln", "colonia", "keulen", "colonia"}},
	{"hamburg", "DE", []string{"hamburg", "amburgo", "hambourg", "hamburgo"}},
	{"frankfurt", "DE", []string{"frankfurt", "francoforte", "francfort", "francfort", "frankfort"}},
	{"madrid", "ES", []string{"madrid", "madri"}},
	{"barcelona", "ES", []string{"barcelona", "barcellona", "barcelone"}},
	{"seville", "ES", []string{"seville", "siviglia", "sevilla", "sevilha"}},
	{"lisbon", "PT", []string{"lisbon", "lisbona", "lisbonne", "lissabon", "lisboa"}},
	{"porto", "PT", []string{"porto", "oporto"}},
	{"london", "GB", []string{"london", "londra", "londres", "londen"}},
	{"edinburgh", "GB", []string{"edinburgh", "edimburgo", "edimbourg"}},
	{"brussels", "BE", []string{"brussels", "bruxelles", "brussel", "brussel", "bruselas", "bruxelas"}},
	{"amsterdam", "NL", []string{"amsterdam", "amsterda"}},
	{"the hague", "NL", []string{"the hague", "l aia", "aia", "la haye", "den haag", "la haya", "haia"}},
	{"geneva", "CH", []string{"geneva", "ginevra", "geneve", "genf", "ginebra", "genebra", "genève"}},
	{"zurich", "CH", []string{"zurich", "zurigo", "zurique"}},
	{"vienna", "AT", []string{"vienna", "vienne", "wien", "viena", "wenen"}},
	{"warsaw", "PL", []string{"warsaw", "varsavia", "varsovie", "warschau", "varsovia"}},
	{"prague", "CZ", []string{"prague", "praga", "prag"}},
	{"athens", "GR", []string{"athens", "atene", "athenes", "athen", "atenas", "athene"}},
	{"moscow", "RU", []string{"moscow", "mosca", "moscou", "moskau", "moscu", "moscovo", "moskou"}},
	{"kyiv", "UA", []string{"kyiv", "kiev", "kiew", "kijiv", "kiev"}},
	{"istanbul", "TR", []string{"istanbul", "istambul", "estambul"}},
	{"ankara", "TR", []string{"ankara", "ancara"}},
	{"jerusalem", "IL", []string{"jerusalem", "gerusalemme", "jerusalen", "jeruzalem"}},
	{"tel aviv", "IL", []string{"tel aviv", "tel aviv-yafo"}},
	{"gaza", "PS", []string{"gaza"}},
	{"cairo", "EG", []string{"cairo", "il cairo", "le caire", "kairo", "el cairo", "caire"}},
	{"beirut", "LB", []string{"beirut", "beyrouth", "beirute"}},
	{"damascus", "SY", []string{"damascus", "damasco", "damas", "damaskus"}},
	{"baghdad", "IQ", []string{"baghdad", "bagdad", "bagda"}},
	{"tehran", "IR", []string{"tehran", "teheran", "teera"}},
	{"kabul", "AF", []string{"kabul", "cabul"}},
	{"beijing", "CN", []string{"beijing", "pechino", "pekin", "peking", "pequim"}},
	{"shanghai", "CN", []string{"shanghai", "sciangai", "xangai"}},
	{"hong kong", "HK", []string{"hong kong", "hongkong"}},
	{"tokyo", "JP", []string{"tokyo", "tokio", "toquio"}},
	{"seoul", "KR", []string{"seoul", "seul"}},
	{"new delhi", "IN", []string{"new delhi", "nuova delhi", "new dehli", "nueva delhi", "nova deli", "delhi"}},
	{"washington", "US", []string{"washington", "washington dc", "washington d c"}},
	{"new york", "US", []string{"new york", "nuova york", "nueva york", "nova iorque"}},
	{"los angeles", "US", []string{"los angeles"}},
	{"san francisco", "US", []string{"san francisco", "sao francisco"}},
	{"chicago", "US", []string{"chicago"}},
	{"mexico city", "MX", []string{"mexico city", "citta del messico", "ciudad de mexico", "cidade do mexico"}},
	{"buenos aires", "AR", []string{"buenos aires"}},
	{"sao paulo", "BR", []string{"sao paulo", "san paolo"}},
	{"rio de janeiro", "BR", []string{"rio de janeiro"}},
	{"bogota", "CO", []string{"bogota"}},
	{"caracas", "VE", []string{"caracas"}},
	{"havana", "CU", []string{"havana", "l avana", "avana", "la havane", "havanna", "la habana", "habana"}},
	{"strasbourg", "FR", []string{"strasbourg", "strasburgo", "strassburg", "estrasburgo", "straatsburg"}},
	{"luxembourg", "LU", []string{"lussemburgo", "luxemburg", "luxemburgo"}},
	{"copenhagen", "DK", []string{"copenhagen", "copenaghen", "copenhague", "kopenhagen", "copenhaga"}},
	{"stockholm", "SE", []string{"stockholm", "stoccolma", "estocolmo"}},
	{"oslo", "NO", []string{"oslo"}},
	{"helsinki", "FI", []string{"helsinki", "helsinky"}},
	{"dublin", "IE", []string{"dublin", "dublino", "dublim"}},
	{"budapest", "HU", []string{"budapest", "budapeste"}},
	{"bucharest", "RO", []string{"bucharest", "bucarest", "bukarest", "bucareste", "boekarest"}},
	{"belgrade", "RS", []string{"belgrade", "belgrado", "belgrad"}},
	{"minsk", "BY", []string{"minsk"}},
	{"riyadh", "SA", []string{"riyadh", "riad", "riyad", "riade"}},
	{"dubai", "AE", []string{"dubai"}},
	{"doha", "QA", []string{"doha"}},
	{"nairobi", "KE", []string{"nairobi"}},
	{"johannesburg", "ZA", []string{"johannesburg", "johannesburgo"}},
	{"sydney", "AU", []string{"sydney"}},
	{"besancon", "FR", []string{"besancon"}},
}

// extraRegionNames are country names that CLDR's display names miss: older
// or informal names and short forms.
var extraRegionNames = map[string]string{
	"usa": "US", "stati uniti d america": "US", "etats unis d amerique": "US", "united states of america": "US",
	"gran bretagna": "GB", "grande bretagne": "GB", "great britain": "GB", "grossbritannien": "GB",
	"gran bretana": "GB", "gra bretanha": "GB", "groot brittannie": "GB", "britain": "GB", "uk": "GB",
	"inghilterra": "GB", "angleterre": "GB", "england": "GB", "inglaterra": "GB", "engeland": "GB",
	"olanda": "NL", "hollande": "NL", "holland": "NL", "holanda": "NL",
	"repubblica ceca": "CZ", "republique tcheque": "CZ", "czech republic": "CZ", "tschechische republik": "CZ", "republica checa": "CZ",
	"palestina": "PS", "palestine": "PS", "palastina": "PS",
	"vaticano": "VA", "vatican": "VA", "vatikan": "VA",
	"birmania": "MM", "birmanie": "MM", "burma": "MM",
	"turkey": "TR", "turquie": "TR", "turkei": "TR", "turquia": "TR", "turkije": "TR", "turkiye": "TR",
	"corea del nord": "KP", "coree du nord": "KP", "north korea": "KP", "nordkorea": "KP", "corea del norte": "KP",
	"coreia do norte": "KP", "noord korea": "KP",
	"russia": "RU", "ucraina": "UA", "ukraine": "UA",
	"unione europea": "EU", "union europeenne": "EU", "european union": "EU", "europaische union": "EU",
	"union europea": "EU", "uniao europeia": "EU", "europese unie": "EU", "ue": "EU", "eu": "EU",
}

// notEntities are words written with a capital that name no one: week days
// (capitalised in English and German), honorifics, pronouns.
var notEntities = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"montag": true, "dienstag": true, "mittwoch": true, "donnerstag": true, "freitag": true, "samstag": true, "sonntag": true,
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sig": true, "mme": true, "mlle": true, "sr": true, "sra": true,
	"herr": true, "frau": true, "gov": true, "sen": true, "rep": true, "st": true, "jr": true,
	"i": true, "im": true, "ii": true, "iii": true, "iv": true,
}
