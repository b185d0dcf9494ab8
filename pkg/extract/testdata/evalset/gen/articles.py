# Invented local-news articles, written for the newsdedup extraction test set.
# Each: key, lang, title, lead (may be ""), body: list of ("p"|"h"|"ul"|"quote", value).

A = []

def art(key, lang, title, lead, body, **kw):
    d = dict(key=key, lang=lang, title=title, lead=lead, body=body)
    d.update(kw)
    A.append(d)

# ---------------- Italian ----------------
art("it-ponte", "it", "Valdoria inaugura il nuovo ponte pedonale sul torrente",
    "Dopo due anni di cantiere la passerella collega il centro storico al quartiere della stazione.",
    [("p", "Il nuovo ponte pedonale sul torrente Lisca è stato aperto sabato mattina alla presenza del sindaco e di alcune centinaia di cittadini, che hanno attraversato la passerella appena il nastro è stato tagliato."),
     ("p", "L'opera, lunga sessantadue metri, è costata poco più di un milione e ottocentomila euro, in gran parte coperti da un finanziamento regionale per la mobilità sostenibile. Il progetto prevede anche l'illuminazione a basso consumo e una rampa per le biciclette."),
     ("p", "«Finalmente chi abita vicino alla stazione può arrivare in piazza in cinque minuti senza passare dalla provinciale», ha detto l'assessora ai lavori pubblici, ricordando che il vecchio guado veniva chiuso a ogni piena."),
     ("p", "Restano da completare le aiuole sulle due sponde, che saranno piantate in primavera con specie scelte insieme agli studenti dell'istituto agrario.")],
    author="Laura Bianchi", date="2025-03-15T10:30:00+01:00")

art("it-jazz", "it", "Il festival jazz del lago raddoppia le serate",
    "",
    [("p", "Il festival Jazz sull'Acqua, che ogni estate porta concerti sui pontili di Riva Chiara, passerà quest'anno da quattro a otto serate, distribuite tra la fine di giugno e la metà di luglio."),
     ("p", "Gli organizzatori hanno annunciato che due concerti si terranno su un battello in navigazione, con un numero di posti limitato a centoventi spettatori per sera. I biglietti saranno messi in vendita a partire dal primo maggio."),
     ("h", "Un programma più giovane"),
     ("p", "Accanto ai nomi già noti al pubblico del lago, il cartellone ospiterà sei gruppi formati da musicisti sotto i trent'anni, selezionati con un bando che ha raccolto oltre novanta candidature da tutta Italia."),
     ("p", "La direttrice artistica ha spiegato che l'obiettivo è far crescere il festival senza perdere il carattere raccolto delle prime edizioni, quando i concerti si ascoltavano seduti sulle panchine del lungolago.")],
    author="Marco Ferri", date="2025-04-02T08:00:00+02:00")

art("it-robot", "it", "Alla scuola elementare di Monteferro arriva il laboratorio di robotica",
    "Trenta kit donati da un'azienda del territorio: le lezioni partono a ottobre.",
    [("p", "Gli alunni delle classi quarte e quinte della scuola elementare Gianni Rodari di Monteferro potranno costruire e programmare piccoli robot durante le ore di tecnologia, grazie a trenta kit donati da un'azienda meccanica della zona."),
     ("p", "Le maestre hanno seguito durante l'estate un corso di formazione di quaranta ore. Il laboratorio sarà allestito in un'aula del primo piano, liberata dopo il trasferimento della biblioteca scolastica al piano terra."),
     ("p", "Il dirigente scolastico ha precisato che le attività non sostituiranno le materie tradizionali ma serviranno ad avvicinare i bambini alla logica e al lavoro di gruppo. A fine anno è prevista una piccola gara tra le classi.")],
    author="Giulia Conti", date="2025-09-20T17:45:00+02:00")

art("it-acqua", "it", "Siccità, turni per l'acqua nelle frazioni alte",
    "",
    [("p", "Per il terzo anno consecutivo le frazioni più alte del comune di Borgo San Vito dovranno fare i conti con i turni nella distribuzione dell'acqua potabile, a causa del livello molto basso delle sorgenti."),
     ("p", "Il gestore del servizio idrico ha comunicato il calendario valido fino alla fine di agosto:"),
     ("ul", ["Case Alte e Pradella: acqua dalle 6 alle 14", "Cerreto e Fontanile: acqua dalle 14 alle 22", "Località Serra: rifornimento con autobotte il martedì e il venerdì"]),
     ("p", "Il sindaco ha chiesto ai residenti di evitare l'irrigazione degli orti nelle ore centrali della giornata e ha annunciato che entro l'autunno partiranno i lavori per un nuovo serbatoio da duecento metri cubi.")],
    author="Paolo Greco", date="2025-07-08T07:15:00+02:00")

art("it-mercato", "it", "Torna il mercato contadino in piazza Garibaldi",
    "",
    [("p", "Da domenica prossima il mercato dei produttori agricoli tornerà in piazza Garibaldi, dopo i mesi trascorsi nel parcheggio del palazzetto dello sport per i lavori di ripavimentazione."),
     ("p", "Saranno presenti ventiquattro bancarelle, quattro in più rispetto all'anno scorso, con formaggi di malga, miele, ortaggi e pane cotto nel forno a legna. Il mercato resterà aperto dalle otto alle tredici."),
     ("p", "L'associazione dei commercianti del centro ha accolto con favore il ritorno, sperando che porti più passaggio anche nei negozi delle vie vicine.")],
    kind="text")

art("it-basket", "it", "La Pallacanestro Valdoria conquista la promozione",
    "",
    [("p", "Con la vittoria per 78 a 71 sul campo di Castelnuovo, la Pallacanestro Valdoria ha conquistato domenica sera la promozione in serie C, con due giornate di anticipo sulla fine del campionato."),
     ("p", "Decisivo l'ultimo quarto, in cui la squadra ha recuperato nove punti di svantaggio trascinata dal capitano, autore di ventidue punti. Al ritorno in città il pullman è stato accolto da un centinaio di tifosi."),
     ("p", "L'allenatore ha dedicato la promozione ai ragazzi del settore giovanile, da cui provengono sei giocatori della prima squadra.")],
    kind="text")

# ---------------- French ----------------
art("fr-piscine", "fr", "Bellerive : la piscine municipale rouvre après dix-huit mois de travaux",
    "Le bassin olympique a été entièrement refait et un espace pour les tout-petits a été ajouté.",
    [("p", "La piscine municipale de Bellerive a rouvert ses portes lundi matin, après dix-huit mois de travaux qui ont permis de refaire l'étanchéité du grand bassin, de remplacer la chaudière et de créer une pataugeoire couverte."),
     ("p", "Le chantier, d'un montant de 4,2 millions d'euros, a pris six mois de retard à cause de la découverte d'une canalisation ancienne sous le parking. Les clubs de natation, qui s'entraînaient depuis l'an dernier dans la commune voisine, retrouvent leurs créneaux dès cette semaine."),
     ("p", "« Les enfants des écoles reviendront à partir du 3 mars, le temps de finaliser les plannings », précise l'adjointe aux sports, qui rappelle que les tarifs restent inchangés.")],
    author="Claire Dumas", date="2025-02-17T09:15:00+01:00")

art("fr-vendanges", "fr", "Des vendanges précoces dans la vallée de l'Arve",
    "",
    [("p", "Les premiers raisins ont été coupés dès le 18 août dans plusieurs domaines de la vallée, soit près de trois semaines plus tôt que la moyenne des vingt dernières années, selon la chambre d'agriculture."),
     ("p", "La chaleur de juillet a accéléré la maturation, mais les orages de la mi-août ont abîmé une partie des parcelles les plus exposées. Les vignerons s'attendent à une récolte inférieure d'environ quinze pour cent à celle de l'an dernier."),
     ("h", "Des saisonniers difficiles à trouver"),
     ("p", "Plusieurs exploitations disent peiner à recruter des cueilleurs pour une période aussi précoce, quand une partie des étudiants n'est pas encore rentrée. Une coopérative a organisé des navettes depuis la gare pour faciliter leur venue."),
     ("p", "Malgré ces difficultés, la qualité des premiers jus est jugée prometteuse, avec une bonne acidité pour les cépages blancs.")],
    author="Julien Marchand", date="2025-08-25T18:00:00+02:00")

art("fr-tram", "fr", "Le tramway prolongé jusqu'à l'hôpital d'ici 2027",
    "Le conseil métropolitain a voté le tracé définitif de l'extension de la ligne B.",
    [("p", "Les élus de la métropole ont approuvé jeudi soir, par 54 voix contre 11, le prolongement de la ligne B du tramway sur 3,4 kilomètres, jusqu'au centre hospitalier et au nouveau quartier des Tanneries."),
     ("h", "Quatre nouvelles stations"),
     ("p", "Le projet prévoit quatre stations supplémentaires :"),
     ("ul", ["Pont-Rouge, près du marché couvert", "Tanneries, au cœur du nouveau quartier", "Faculté de médecine", "Centre hospitalier, terminus"]),
     ("h", "Un chantier en trois phases"),
     ("p", "Les travaux de déviation des réseaux commenceront à l'automne. La pose des rails est prévue en 2026 et la mise en service à l'été 2027. Le coût total est estimé à 96 millions d'euros, dont un tiers financé par l'État.")],
    author="Sophie Lambert", date="2025-05-22T21:40:00+02:00")

art("fr-librairie", "fr", "Une librairie coopérative ouvre dans l'ancienne mercerie",
    "",
    [("p", "Vingt-huit habitants de Saint-Aubin se sont associés pour ouvrir une librairie coopérative dans l'ancienne mercerie de la rue des Halles, fermée depuis le départ à la retraite de sa propriétaire il y a quatre ans."),
     ("p", "Chaque coopérateur a apporté au moins cinq cents euros. Deux libraires salariés ont été recrutés et la boutique propose déjà près de six mille titres, avec un rayon important consacré à la jeunesse et aux auteurs de la région."),
     ("p", "Les fondateurs espèrent organiser une rencontre avec un écrivain chaque mois et prêter la salle du fond aux associations du quartier.")],
    author="Nadia Benali", date="2025-10-03T12:00:00+02:00")

art("fr-tempete", "fr", "Tempête : plusieurs routes coupées dans le haut pays",
    "",
    [("p", "Les vents violents qui ont balayé le département dans la nuit de mardi à mercredi ont provoqué la chute de nombreux arbres, coupant au moins six routes départementales dans le haut pays."),
     ("p", "Près de quatre mille foyers étaient encore privés d'électricité mercredi en fin de matinée, selon le gestionnaire du réseau, qui a mobilisé des équipes venues des départements voisins."),
     ("p", "La préfecture demande aux automobilistes de limiter leurs déplacements jusqu'à jeudi et de ne pas s'approcher des câbles tombés au sol.")],
    kind="text")

art("fr-patisserie", "fr", "Un apprenti de Bellerive remporte le concours régional de pâtisserie",
    "",
    [("p", "Thomas, apprenti de dix-neuf ans dans une boulangerie du centre de Bellerive, a remporté samedi le concours régional des jeunes pâtissiers avec une tarte aux poires et au sarrasin."),
     ("p", "Le jury a salué l'équilibre des saveurs et la précision du décor, réalisé en moins de quatre heures. Le jeune homme représentera la région à la finale nationale qui se tiendra à Lyon en novembre."),
     ("p", "Son maître d'apprentissage, lui-même finaliste il y a vingt ans, dit avoir vu « un talent rare dès les premières semaines ».")],
    kind="text")

# ---------------- English ----------------
art("en-ferry", "en", "Port Ellis ferry adds late crossings for the summer",
    "Evening sailings will run until 11pm from June, the operator said.",
    [("p", "The ferry between Port Ellis and Marrow Island will run two extra crossings every evening from the first week of June, after a survey found that almost half of island residents had missed the last boat at least once last year."),
     ("p", "The new sailings leave the mainland at 9.30pm and 10.45pm, and return twenty minutes later. Fares will stay the same, although the operator said it would review prices in the autumn once it had seen how many people used the late boats."),
     ("p", "Local councillor Dana Whitlow, who campaigned for the change, said it would make a real difference to nurses and hospitality staff working late shifts in town."),
     ("p", "The harbour authority said it would keep the ticket office open until the final departure.")],
    author="Mara Quinlan", date="2025-04-11T07:30:00+01:00")

art("en-garden", "en", "Allotment group wins national community award",
    "",
    [("p", "A community garden set up on a disused car park in Westbrook has won this year's national award for neighbourhood projects, beating more than two hundred entries from across the country."),
     ("p", "Volunteers turned the site into forty raised beds, a small orchard and a shared greenhouse over five years. Much of the produce goes to a food bank two streets away, and a local primary school uses one corner for outdoor lessons."),
     ("p", "The judges praised the group's work with older residents, several of whom had lived alone before joining. The prize comes with a grant of five thousand pounds, which the volunteers plan to spend on a rainwater tank and accessible paths.")],
    author="Tom Reyes", date="2025-06-30T16:20:00+01:00")

art("en-library", "en", "Central library to open on Sundays from next month",
    "",
    [("p", "Hadley's central library will open on Sundays from the beginning of next month, the first time in more than a decade that residents have been able to borrow books at the weekend."),
     ("p", "The council said the extra day would be paid for by moving staff from a mobile library route that had seen very few visitors. The Sunday service will include:"),
     ("ul", ["lending and returns from 11am to 4pm", "a children's story hour at noon", "free computer help sessions in the afternoon"]),
     ("h", "Mixed reaction"),
     ("p", "Library users welcomed the news, but a group representing villages served by the mobile van said rural residents were paying the price. The council promised to review the decision after six months.")],
    author="Priya Natarajan", date="2025-01-09T11:05:00+00:00")

art("en-marathon", "en", "Marathon route changed to avoid bridge works",
    "",
    [("p", "Organisers of the Hadley Marathon have redrawn the second half of the course to avoid repair works on the Mill Lane bridge, which will be closed to pedestrians until October."),
     ("p", "Runners will now follow the canal towpath for four miles before rejoining the old route at the racecourse. Race director Owen Pike said the new section was flatter and could lead to faster times."),
     ("quote", "Great news, the towpath is the best part of my training run. See you on the start line! — Hadley Harriers (@hadleyharriers) March 3, 2025"),
     ("p", "About six thousand people have entered the race, which raises money for the town's hospice. Road closures will be published two weeks before race day.")],
    author="Owen Clarke", date="2025-03-04T19:00:00+00:00")

art("en-bakery", "en", "Fire damages family bakery on the high street",
    "",
    [("p", "Firefighters were called to a bakery on Hadley High Street shortly after 4am on Tuesday, when an early shift worker noticed smoke coming from the ovens at the back of the shop."),
     ("p", "Nobody was hurt. Two fire engines attended and the blaze was put out within an hour, but the kitchen was badly damaged and the shop is expected to stay closed for several weeks."),
     ("p", "The owners, who have run the bakery for three generations, thanked neighbours who brought coffee to the crews and said they hoped to reopen before the summer.")],
    kind="text")

art("en-choir", "en", "School choir invited to sing in Vienna",
    "",
    [("p", "The choir of St Aldhelm's secondary school has been invited to perform at a youth music festival in Vienna in July, after a recording of its spring concert impressed the organisers."),
     ("p", "Forty pupils aged twelve to eighteen will travel by train. Parents have started a series of cake sales and a sponsored walk to help cover the cost of the trip, estimated at around twenty thousand pounds."),
     ("p", "The choir will sing a programme of English folk songs and a piece written for them by a former pupil.")],
    kind="text")

# ---------------- German ----------------
art("de-radwege", "de", "Talheim baut neue Radwege entlang der Bundesstraße",
    "Bis Ende des Jahres sollen fünf Kilometer sichere Strecke zwischen Bahnhof und Gewerbegebiet entstehen.",
    [("p", "Die Stadt Talheim beginnt im April mit dem Bau eines getrennten Radwegs entlang der Bundesstraße, der den Bahnhof mit dem Gewerbegebiet Nord verbinden soll. Bisher mussten Radfahrer dort auf der Fahrbahn neben Lastwagen fahren."),
     ("p", "Die Kosten von rund 2,3 Millionen Euro übernimmt zu drei Vierteln das Land. Während der Bauarbeiten wird die Straße abschnittsweise einspurig geführt, eine Ampel regelt den Verkehr."),
     ("p", "„Viele Beschäftigte im Gewerbegebiet würden gern mit dem Rad kommen, trauen sich aber nicht“, sagte der Bürgermeister bei der Vorstellung der Pläne im Gemeinderat.")],
    author="Jonas Keller", date="2025-03-28T14:20:00+01:00")

art("de-archiv", "de", "Stadtbibliothek digitalisiert ihr historisches Zeitungsarchiv",
    "",
    [("p", "Die Stadtbibliothek Rosenau macht ihr Archiv der Lokalzeitungen von 1850 bis 1950 im Internet zugänglich. Rund 90.000 Seiten werden dafür in den kommenden zwei Jahren eingescannt und mit einer Volltextsuche versehen."),
     ("p", "Viele der alten Bände sind so brüchig, dass sie seit Jahren nicht mehr ausgeliehen werden konnten. Ein Fachbetrieb aus Leipzig übernimmt das Scannen vor Ort, damit die Originale das Haus nicht verlassen müssen."),
     ("h", "Hilfe von Ehrenamtlichen"),
     ("p", "Weil die Texterkennung bei alter Frakturschrift viele Fehler macht, sucht die Bibliothek Freiwillige, die die erkannten Texte am Bildschirm korrigieren. Interessierte können sich an der Ausleihtheke melden.")],
    author="Miriam Vogt", date="2025-05-06T09:00:00+02:00")

art("de-hochwasser", "de", "Neuer Hochwasserschutz am Mühlbach",
    "Nach dem Hochwasser vor zwei Jahren investiert die Gemeinde in Dämme und ein Rückhaltebecken.",
    [("p", "Der Gemeinderat von Oberweiler hat am Dienstag einstimmig ein Paket von Maßnahmen beschlossen, das den Ort künftig besser vor Überschwemmungen durch den Mühlbach schützen soll."),
     ("h", "Die Maßnahmen im Überblick"),
     ("ul", ["ein Rückhaltebecken oberhalb des Ortes für 40.000 Kubikmeter Wasser", "ein erhöhter Damm entlang der Schulstraße", "mobile Schutzwände für die Altstadt"]),
     ("p", "Die Arbeiten sollen im Herbst beginnen und drei Jahre dauern. Anwohner, deren Keller beim letzten Hochwasser vollgelaufen waren, begrüßten den Beschluss, forderten aber schnellere Hilfe für die kommende Saison.")],
    author="Stefan Brandt", date="2025-06-17T20:10:00+02:00")

art("de-baeckerei", "de", "Bäckerei Hartmann feiert hundertjähriges Bestehen",
    "",
    [("p", "Seit hundert Jahren backt die Familie Hartmann in der Lindenstraße Brot und Brezeln. Zum Jubiläum lädt die Bäckerei am Samstag zu einem Fest mit Backvorführungen und einer Ausstellung alter Fotos ein."),
     ("p", "Gegründet wurde der Betrieb 1925 vom Urgroßvater des heutigen Inhabers. Das Rezept für das Roggenbrot ist bis heute fast unverändert, nur der Holzofen wurde in den sechziger Jahren durch einen Elektroofen ersetzt."),
     ("p", "Heute beschäftigt die Bäckerei vierzehn Mitarbeiter und bildet jedes Jahr zwei Lehrlinge aus.")],
    author="Anna Schulte", date="2025-09-12T06:45:00+02:00")

art("de-bus", "de", "Neuer Busfahrplan ab Dezember",
    "",
    [("p", "Mit dem Fahrplanwechsel im Dezember fahren die Stadtbusse in Talheim auf den Hauptlinien tagsüber alle fünfzehn Minuten statt wie bisher alle zwanzig Minuten."),
     ("p", "Außerdem wird eine neue Nachtlinie eingeführt, die am Freitag und Samstag bis zwei Uhr morgens zwischen Bahnhof, Innenstadt und den Wohngebieten im Süden pendelt."),
     ("p", "Die Verkehrsbetriebe stellen dafür sechs zusätzliche Fahrer ein. Die Preise für Einzelfahrscheine bleiben unverändert.")],
    kind="text")

art("de-freibad", "de", "Freibad nach Sanierung wieder geöffnet",
    "",
    [("p", "Nach einem Jahr Bauzeit ist das Freibad am Stadtwald wieder geöffnet. Die Becken wurden mit Edelstahl ausgekleidet, die Umkleiden erneuert und eine neue Rutsche für Kinder gebaut."),
     ("p", "Am ersten Wochenende kamen trotz kühler Temperaturen fast dreitausend Besucher. Die Stadtwerke rechnen damit, dass der Energieverbrauch durch die neue Solaranlage um ein Drittel sinkt."),
     ("p", "Die Saisonkarte kostet weiterhin sechzig Euro für Erwachsene.")],
    kind="text")

# ---------------- Spanish ----------------
art("es-salud", "es", "Villaseca estrena su nuevo centro de salud",
    "El edificio atenderá a más de doce mil vecinos de la comarca.",
    [("p", "El nuevo centro de salud de Villaseca abrió sus puertas el lunes con ocho consultas de medicina general, dos de pediatría y una sala de urgencias que funcionará las veinticuatro horas."),
     ("p", "La obra, que ha costado 5,6 millones de euros, sustituye al antiguo ambulatorio de la calle Mayor, que se había quedado pequeño y no cumplía las normas de accesibilidad. El edificio cuenta con paneles solares y un aparcamiento para sesenta vehículos."),
     ("p", "La consejera de Sanidad anunció durante la inauguración que en otoño se incorporará un servicio de fisioterapia, una de las demandas más repetidas por los vecinos de los pueblos cercanos.")],
    author="Lucía Romero", date="2025-02-24T10:05:00+01:00")

art("es-feria", "es", "La feria del libro de Almenar bate su récord de visitantes",
    "",
    [("p", "La feria del libro de Almenar cerró el domingo su vigésima edición con cerca de cuarenta mil visitantes, la cifra más alta desde que se celebra en el paseo del río."),
     ("p", "Las casetas de las librerías locales vendieron un veinte por ciento más que el año pasado, según la asociación de libreros, que atribuye el aumento al buen tiempo y a la programación infantil de las mañanas."),
     ("h", "Poesía en la calle"),
     ("p", "La novedad de este año, un recital de poesía en los autobuses urbanos, tuvo tanta aceptación que el ayuntamiento estudia repetirlo durante las fiestas de septiembre.")],
    author="Diego Herrera", date="2025-05-12T20:30:00+02:00")

art("es-plaza", "es", "Comienzan las obras de reforma de la plaza Mayor",
    "",
    [("p", "Las máquinas entraron el martes en la plaza Mayor de San Julián para iniciar una reforma que durará ocho meses y que convertirá el espacio en una zona peatonal con más sombra y bancos."),
     ("p", "Durante las obras se aplicarán estos cambios:"),
     ("ul", ["el mercado de los sábados se traslada a la calle del Carmen", "las terrazas de los bares se reducen a la mitad", "el autobús urbano desvía su parada a la avenida de la Estación"]),
     ("p", "Los comerciantes han pedido al ayuntamiento que organice actividades para atraer clientes mientras duren los trabajos.")],
    author="Marta Gil", date="2025-01-21T13:00:00+01:00")

art("es-rescate", "es", "Rescatados dos montañeros en la sierra del Cuervo",
    "",
    [("p", "Un helicóptero de emergencias rescató el sábado por la tarde a dos montañeros que habían quedado atrapados por la niebla cerca del pico del Cuervo, a más de dos mil metros de altitud."),
     ("p", "Los excursionistas, de treinta y cuarenta y dos años, llamaron al teléfono de emergencias cuando ya no podían ver el sendero. Los rescatadores los localizaron gracias a la ubicación de su teléfono móvil."),
     ("quote", "Agradecemos el trabajo del equipo de rescate en condiciones muy difíciles. Recordad consultar la previsión antes de salir a la montaña. — Protección Civil Sierra (@pcsierra) 14 de junio de 2025"),
     ("p", "Ambos fueron trasladados al hospital comarcal con síntomas leves de hipotermia y recibieron el alta esa misma noche.")],
    author="Javier Ortiz", date="2025-06-15T09:40:00+02:00")

art("es-aceite", "es", "La cooperativa de aceite abre una tienda en el centro",
    "",
    [("p", "La cooperativa olivarera de Almenar ha abierto una tienda en la calle Real para vender directamente su aceite y otros productos de los socios, como miel, almendras y vino de la comarca."),
     ("p", "La cooperativa agrupa a unos trescientos agricultores y produce cada año cerca de un millón de litros de aceite, la mayor parte destinado hasta ahora a la venta a granel."),
     ("p", "Los responsables esperan que la tienda ayude a dar a conocer la marca entre los turistas que visitan el casco histórico.")],
    kind="text")

art("es-concierto", "es", "Concierto benéfico para reconstruir el refugio de animales",
    "",
    [("p", "Seis grupos de música de la comarca actuarán el próximo viernes en el auditorio municipal en un concierto benéfico para reconstruir el refugio de animales, dañado por un incendio en marzo."),
     ("p", "Las entradas cuestan diez euros y pueden comprarse en la taquilla del auditorio. La asociación protectora necesita reunir unos cuarenta mil euros para levantar de nuevo las casetas y la zona de cuarentena."),
     ("p", "Mientras tanto, una veintena de familias acogen temporalmente a los perros y gatos que vivían en el refugio.")],
    kind="text")

# ---------------- extra cases ----------------
art("fr-marche-latin1", "fr", "Le marché couvert de Saint-Aubin fête ses cent ans",
    "",
    [("p", "Le marché couvert de Saint-Aubin célèbre ce week-end son centenaire avec une exposition de photographies anciennes, une fanfare et une dégustation de produits des maraîchers présents depuis plusieurs générations."),
     ("p", "Construit en 1925 sur l'emplacement d'une ancienne halle aux grains, le bâtiment avait failli être démoli dans les années soixante-dix avant d'être sauvé par une pétition des commerçants."),
     ("p", "Aujourd'hui, trente-deux étals y sont installés du mardi au dimanche, et la municipalité envisage d'ouvrir le marché le vendredi soir pendant l'été.")],
    author="Étienne Roux", date="2025-06-07T08:00:00+02:00")

art("it-notizie-legacy", "it", "Chiusa per lavori la strada del passo",
    "",
    [("p", "La strada provinciale che porta al passo del Cervo resterà chiusa al traffico da lunedì per quattro settimane, per consentire il consolidamento di un muro di sostegno danneggiato dalle piogge di novembre."),
     ("p", "Il traffico verrà deviato sulla strada di fondovalle, con un allungamento del percorso di circa dodici chilometri. I mezzi di soccorso potranno comunque transitare in caso di necessità."),
     ("p", "La Provincia ha assicurato che i lavori si concluderanno prima dell'apertura degli impianti sciistici.")],
    author="Redazione", date="2025-12-01T09:00:00+01:00")

# ---------------- stories of other articles after the article ----------------
# The site's system appended them to the text itself, unlinked and under no
# label the lexicon knows (or none): only a change of topic tells them apart.
art("it-frana", "it", "Frana a Roccavelia, evacuate sei famiglie",
    "Il movimento del terreno è iniziato dopo tre giorni di pioggia: i tecnici sorvegliano il versante giorno e notte.",
    [("p", "Sei famiglie della frazione Case Sparse di Roccavelia hanno lasciato le loro abitazioni nella notte tra domenica e lunedì, dopo che una frana si è staccata dal versante sopra il paese e si è fermata a meno di cinquanta metri dalle prime case."),
     ("p", "I vigili del fuoco hanno installato sensori che misurano gli spostamenti del terreno ogni dieci minuti. Secondo il geologo incaricato dal Comune, la massa in movimento è di circa quindicimila metri cubi e potrebbe scivolare ancora se tornerà a piovere."),
     ("p", "Gli sfollati sono ospitati da parenti e in un albergo del capoluogo, a spese dell'amministrazione. Il sindaco ha chiesto alla Regione lo stato di calamità per finanziare le opere di contenimento.")],
    author="Sara Valli", date="2025-11-10T12:20:00+01:00",
    after=["Sagra del tartufo a Montebruno: quarantamila visitatori in due weekend",
           "La biblioteca di Pieve Alta cerca volontari per il prestito a domicilio agli anziani. Gli interessati possono presentarsi il martedì…",
           "Calcio, l'Audace Valdoria batte la capolista e torna in zona playoff"])

art("de-sternwarte", "de", "Volkssternwarte öffnet nach dem Umbau wieder",
    "",
    [("p", "Nach zwei Jahren Umbau öffnet die Volkssternwarte auf dem Kapellenberg am Freitagabend wieder für Besucher. Die alte Kuppel wurde durch eine neue aus Aluminium ersetzt, die sich per Knopfdruck dreht."),
     ("p", "Herzstück ist ein Spiegelteleskop mit sechzig Zentimetern Durchmesser, das der Förderverein mit Spenden und einem Zuschuss des Landes finanziert hat. Damit lassen sich nun auch lichtschwache Galaxien beobachten."),
     ("h", "Führungen jeden Freitag"),
     ("p", "Bei klarem Himmel bieten Mitglieder des Vereins jeden Freitag ab 20 Uhr Führungen an. Der Eintritt ist frei, um eine Spende wird gebeten.")],
    author="Jonas Keller", date="2025-10-03T16:00:00+02:00",
    after_label="Meldungen aus dem Landkreis",
    after=["Ortsdurchfahrt Kirchheim ab Montag für drei Wochen gesperrt",
           "Der Gesangverein Liederkranz feiert sein 150-jähriges Bestehen mit einem Festkonzert in der Stadthalle. Karten gibt es ab sofort im Rathaus…",
           "Polizei sucht Zeugen nach Einbruch in Bäckerei am Marktplatz"])

art("fr-randonnee", "fr", "Un nouveau sentier de randonnée relie les trois villages du plateau",
    "",
    [("p", "Un sentier balisé de dix-huit kilomètres relie désormais Montclar, Les Aubiers et Saint-Véran, sur le plateau. Il a été inauguré dimanche par une centaine de marcheurs, malgré le brouillard."),
     ("p", "Le tracé reprend en grande partie d'anciens chemins muletiers, dégagés pendant l'hiver par des bénévoles de l'association des Amis du plateau. Des panneaux racontent l'histoire des fermes et des fours à pain rencontrés en chemin."),
     ("p", "Une carte du parcours est disponible gratuitement dans les trois mairies et à l'office de tourisme.")],
    kind="text",
    after=["Cambriolages en série à Vernay : les gendarmes appellent à la vigilance",
           "Le conseil municipal de Lussac a voté la rénovation de l'église, interdite au public depuis la chute d'un morceau de la voûte en 2023…",
           "Handball : les seniors de l'US Lussac s'imposent face à Rochemaure"])
