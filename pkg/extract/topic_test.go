package extract

import (
	"strings"
	"testing"
)

// The articles below are invented for these tests. Each ends either with
// stories of other articles appended under no label the lexicon knows, or
// with a last section whose vocabulary drifts from the body and must stay.
func TestTopicShift(t *testing.T) {
	tests := []struct {
		name        string
		title, text string
		html        string
		keep        []string
		drop        []string // each must be removed as a change of topic
	}{
		{
			name:  "it headlines of other stories after the article",
			title: "Frana sulla provinciale della Val Cerna, strada chiusa per dieci giorni",
			text: `La strada provinciale 42 della Val Cerna è chiusa da martedì sera tra Pontealto e Sorbello, dopo che una frana ha portato sulla carreggiata circa trecento metri cubi di terra e sassi.

I tecnici della Provincia stimano che serviranno almeno dieci giorni per rimuovere il materiale e mettere in sicurezza il versante. Il traffico viene deviato sulla comunale che passa da Ca' Bruna.

Il sindaco di Sorbello ha chiesto una navetta per gli studenti che ogni mattina raggiungono le scuole superiori del capoluogo.

Riapre il cinema parrocchiale di Valmora dopo trent'anni di silenzio

Gli alpini festeggiano il centenario con una sfilata e un concerto

Mostra micologica al municipio, oltre cento specie esposte`,
			keep: []string{"La strada provinciale 42", "scuole superiori del capoluogo."},
			drop: []string{"Riapre il cinema", "Gli alpini festeggiano", "Mostra micologica"},
		},
		{
			name:  "de excerpts under a label the lexicon does not know",
			title: "Kirchdorf bekommt einen neuen Spielplatz",
			text: `Auf der Wiese hinter dem Rathaus entsteht bis zum Sommer ein neuer Spielplatz mit Kletterturm, Wasserrinne und einer Schaukel für Rollstuhlfahrer. Der Gemeinderat hat die Ausgaben von 180.000 Euro am Montag einstimmig bewilligt.

Die Entwürfe stammen von Kindern der Grundschule, die im vergangenen Herbst Modelle gebastelt hatten. Ein Landschaftsarchitekt hat daraus einen Plan gemacht, den die Kinder noch einmal abstimmen durften.

Aus der Region

Neue Ortsumfahrung: Bagger rollen ab März zwischen Lindenau und Oberried

Der Musikverein Lindenau sucht Nachwuchs für sein Jugendorchester. Geprobt wird donnerstags im alten Schulhaus, Instrumente stellt der Verein…

Zwei Verletzte nach Zusammenstoß an der Kreuzung am Mühlweg`,
			keep: []string{"Auf der Wiese hinter dem Rathaus", "noch einmal abstimmen durften."},
			drop: []string{"Aus der Region", "Neue Ortsumfahrung", "Der Musikverein", "Zwei Verletzte"},
		},
		{
			name:  "fr HTML teasers in the article's container",
			title: "La fromagerie de Saint-Alban rouvre après l'incendie",
			html: `<html><body><article><h1>La fromagerie de Saint-Alban rouvre après l'incendie</h1>` +
				`<p>Huit mois après l'incendie qui avait détruit sa cave d'affinage, la fromagerie coopérative de Saint-Alban a rouvert ses portes samedi. Les producteurs de lait de la commune y livrent de nouveau leur traite chaque matin.</p>` +
				`<p>La reconstruction a coûté près de neuf cent mille euros, dont un tiers pris en charge par l'assurance. La nouvelle cave peut accueillir quatre mille meules de tomme, mille de plus qu'avant.</p>` +
				`<div class="suite"><p>Ailleurs dans le canton</p>` +
				`<p>Le club de rugby de Vernaison inaugure des vestiaires flambant neufs</p>` +
				`<p>Une exposition de photographies anciennes s'installe à la médiathèque…</p>` +
				`<p>Grève des agents de la déchetterie intercommunale lundi</p></div></article></body></html>`,
			keep: []string{"Huit mois après l'incendie", "mille de plus qu'avant."},
			drop: []string{"Ailleurs dans le canton", "Le club de rugby", "Une exposition", "Grève des agents"},
		},
		{
			name:  "es headlines of other stories, no label",
			title: "El ayuntamiento de Valdemora amplía el horario de la piscina",
			text: `La piscina municipal de Valdemora abrirá este verano de nueve de la mañana a nueve de la noche, dos horas más que el año pasado, según ha anunciado el ayuntamiento.

La ampliación se debe a la contratación de tres socorristas más. El precio de la entrada se mantiene en tres euros para los adultos y es gratuita para los menores de seis años.

Detenido un hombre por robar cobre en la línea del tren de Talavera

Las fiestas de San Bartolomé tendrán orquesta gratuita todas las noches

Cortes de agua en el barrio alto durante las obras de la calle Mayor`,
			keep: []string{"La piscina municipal de Valdemora", "menores de seis años."},
			drop: []string{"Detenido un hombre", "Las fiestas de San", "Cortes de agua"},
		},
		{
			name:  "en a background section that drifts stays",
			title: "Hadley pier to close for repairs",
			text: `Hadley's pier will close to the public from next Monday while engineers replace rotten timbers under the deck, the council said on Tuesday. The work is expected to take six weeks.

Anglers and the boat trip operator have been offered space on the harbour wall until the pier reopens.

A pier with a past

Built in 1898 by a steamship company, the structure once carried a narrow railway to the paddle steamers that called on summer Sundays.

The railway closed in 1931 and the tracks were lifted during the war for their steel

Local historian Ruth Ames hopes the repairs will uncover some of the old ironwork.`,
			keep: []string{"Built in 1898", "The railway closed in 1931", "Local historian Ruth Ames"},
		},
		{
			name:  "it a closing quote after a heading stays",
			title: "Il nuovo asilo nido di Borgo Chiaro apre a settembre",
			text: `Il nuovo asilo nido comunale di Borgo Chiaro accoglierà da settembre trentadue bambini tra i sei mesi e i tre anni, in un edificio costruito al posto della vecchia scuola elementare.

Le iscrizioni si aprono lunedì e si chiudono il 30 giugno; le rette saranno calcolate in base al reddito delle famiglie.

Le reazioni

«Per anni abbiamo portato i bambini fino a Valmora, ogni mattina, con qualsiasi tempo», racconta una madre che attende il secondo figlio.

Chi non riesce a iscriversi online può rivolgersi allo sportello del municipio`,
			keep: []string{"Per anni abbiamo portato i bambini", "Chi non riesce a iscriversi"},
		},
		{
			name:  "fr a list the article introduces stays",
			title: "Nouveaux horaires pour la ligne 3",
			text: `À partir du 2 septembre, les bus de la ligne 3 passeront toutes les dix minutes aux heures de pointe, contre un quart d'heure aujourd'hui, a annoncé la régie des transports de la vallée.

Trois changements concernent les voyageurs :

Arrêt Gare-Nord déplacé de cent mètres vers la place Carnot

Dernier départ à minuit et demi les vendredis et samedis

Navette gratuite vers la zone artisanale le dimanche matin`,
			keep: []string{"Arrêt Gare-Nord", "Dernier départ", "Navette gratuite"},
		},
		{
			name:  "de a summary list under a heading stays",
			title: "Stadtbusse fahren ab Dezember häufiger",
			text: `Mit dem Fahrplanwechsel im Dezember fahren die Stadtbusse in Talheim auf den beiden Hauptlinien tagsüber alle zehn Minuten. Bisher kam nur alle zwanzig Minuten ein Bus, am Wochenende noch seltener.

Die Verkehrsbetriebe stellen dafür sechs zusätzliche Fahrer ein und leasen vier neue Busse.

Die Änderungen im Überblick

neue Haltestelle am Bahnhof Süd

spätere Abfahrten am Samstagabend

Nachtbus nach Oberried am Freitag und Samstag`,
			keep: []string{"neue Haltestelle", "spätere Abfahrten", "Nachtbus nach Oberried"},
		},
		{
			name:  "de a summary of headline-shaped items shares the body's words and stays",
			title: "Neuer Fahrplan für die Stadtbusse",
			text: `Ab Dezember gilt in Talheim ein neuer Fahrplan: Die Stadtbusse fahren auf den Hauptlinien alle zehn Minuten, der Nachtbus fährt am Wochenende bis zwei Uhr.

Die Verkehrsbetriebe stellen dafür sechs zusätzliche Fahrer ein und leasen vier neue Busse. Die Preise für Fahrkarten bleiben gleich.

Das Wichtigste in Kürze

Neue Haltestelle der Stadtbusse am Bahnhof Süd

Nachtbus am Wochenende bis zwei Uhr nach Oberried

Fahrkarten auch in der App der Verkehrsbetriebe`,
			keep: []string{"Neue Haltestelle", "Nachtbus am Wochenende", "Fahrkarten auch"},
		},
	}
	e := newTestExtractor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Text: tt.text, Title: tt.title}
			if tt.html != "" {
				in = Input{HTML: tt.html}
			}
			res, err := e.Extract(in)
			if err != nil {
				t.Fatal(err)
			}
			checkSnippets(t, res, tt.keep, tt.drop)
			for _, s := range tt.drop {
				found := false
				for _, r := range res.Removed {
					if strings.HasPrefix(r.Text, s) {
						found = true
						if r.Reason != reasonTopic || r.Layer != layerStructure {
							t.Errorf("%q removed as [%s] %s, want [%s] %s", s, r.Layer, r.Reason, layerStructure, reasonTopic)
						}
					}
				}
				if !found {
					t.Errorf("no removal of %q", s)
				}
			}
			if len(tt.drop) == 0 {
				for _, r := range res.Removed {
					if r.Reason == reasonTopic {
						t.Errorf("removed %q as a change of topic", r.Text)
					}
				}
			}
			if t.Failed() {
				t.Logf("text:\n%s", res.Text)
				for _, r := range res.Removed {
					t.Logf("removed [%s] %s: %q", r.Layer, r.Reason, clip(r.Text, 80))
				}
			}
		})
	}
}

func TestContentStems(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"the bakery reopened", []string{"baker", "reope"}},
		{"über die straße", []string{"über", "straß"}},
		{"a b cd", nil},
		{"città città", []string{"città"}},
	}
	for _, tt := range tests {
		got := contentStems(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("contentStems(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for _, w := range tt.want {
			if !got[w] {
				t.Errorf("contentStems(%q) = %v, want %v", tt.in, got, tt.want)
			}
		}
	}
}
