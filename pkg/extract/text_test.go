package extract

import (
	"strings"
	"testing"
)

// The texts below are invented for these tests: short articles with the
// boilerplate feeds deliver around them, one or two per language.
func TestExtractText(t *testing.T) {
	tests := []struct {
		name  string
		title string
		text  string
		keep  []string
		drop  []string
		// removed maps a removed line's start to the layer that must have taken it.
		removed   map[string]string
		wantTitle string
	}{
		{
			name: "it site header, credit, related block",
			text: `Notizie dal Lago - Valdoria approva il piano per le piste ciclabili

Valdoria approva il piano per le piste ciclabili

Il consiglio comunale di Valdoria ha approvato ieri sera, con diciotto voti favorevoli e quattro contrari, il piano che prevede dodici chilometri di nuove piste ciclabili entro il 2027.
Secondo l'assessora alla mobilità, i cantieri partiranno in primavera e riguarderanno soprattutto il collegamento tra la stazione e la zona artigianale.
Foto: archivio del Comune
Ti è piaciuto questo articolo? Seguici anche su Google News per non perdere nulla.

Leggi anche

Nuovo parcheggio in centro, polemica in consiglio
Il mercato del sabato cambia piazza da gennaio
Scuole, al via le iscrizioni online`,
			keep: []string{"Il consiglio comunale di Valdoria ha approvato ieri sera", "i cantieri partiranno in primavera"},
			drop: []string{"Notizie dal Lago", "archivio del Comune", "Ti è piaciuto", "Leggi anche", "Nuovo parcheggio", "Scuole, al via"},
			removed: map[string]string{
				"Notizie dal Lago": layerStructure, "Valdoria approva": layerStructure, "Foto:": layerLexicon,
				"Ti è piaciuto": layerLexicon, "Leggi anche": layerLexicon, "Il mercato": layerLexicon,
			},
			wantTitle: "Valdoria approva il piano per le piste ciclabili",
		},
		{
			name: "it glued teaser run at the end",
			text: `La biblioteca civica di Monteferro resterà chiusa per tre settimane a partire da lunedì per consentire la sostituzione dell'impianto di riscaldamento.
I volumi in prestito potranno essere restituiti nella cassetta esterna, mentre la sala studio verrà ospitata temporaneamente nel centro anziani di via dei Tigli.
CulturaNel fine settimana torna la rassegna dei cori di montagna, con sette gruppi da tutta la provincia che si esibiranno…
SportLa squadra di pallavolo femminile conquista la promozione dopo una stagione senza sconfitte…`,
			keep:    []string{"La biblioteca civica di Monteferro", "nel centro anziani di via dei Tigli."},
			drop:    []string{"CulturaNel", "SportLa"},
			removed: map[string]string{"CulturaNel": layerStructure, "SportLa": layerStructure},
		},
		{
			name: "fr widget, signature, credit, newsletter",
			text: `La médiathèque de Bellerive ouvre ses portes le dimanche

La médiathèque de Bellerive ouvre ses portes le dimanche / Photo: Jeanne MOREAU - AFP/Archives

Taille du texte:

À partir du mois prochain, la médiathèque de Bellerive accueillera le public chaque dimanche après-midi, a annoncé mardi la mairie dans un communiqué.

« Nous voulons que la lecture trouve sa place dans le temps libre des familles », a expliqué l'adjointe chargée de la culture.

À lire aussi : Le budget culturel de la ville en hausse de 4 %

L.Martin--BLV

Vous avez aimé cet article ? Abonnez-vous à notre newsletter pour ne rien manquer.`,
			title: "La médiathèque de Bellerive ouvre ses portes le dimanche",
			keep:  []string{"la médiathèque de Bellerive accueillera le public chaque dimanche", "a expliqué l'adjointe chargée de la culture."},
			drop:  []string{"Photo:", "Taille du texte", "Le budget culturel", "L.Martin--BLV", "Vous avez aimé"},
			removed: map[string]string{
				"Taille du texte": layerLexicon, "L.Martin--BLV": layerStructure, "À lire aussi": layerLexicon,
				"Vous avez aimé": layerLexicon,
			},
			wantTitle: "La médiathèque de Bellerive ouvre ses portes le dimanche",
		},
		{
			name: "fr featured block after the body",
			text: `Le conseil départemental a voté jeudi une enveloppe de deux millions d'euros pour rénover les ponts les plus anciens du réseau routier.

Les travaux commenceront par le pont de la Gravière, fermé aux poids lourds depuis l'été dernier.

En vedette

Festival de jazz: la programmation dévoilée

Les organisateurs ont annoncé mercredi une affiche mêlant artistes confirmés et jeunes talents de la région.

Marché de Noël: les chalets déjà réservés`,
			keep:    []string{"Le conseil départemental a voté jeudi", "pont de la Gravière"},
			drop:    []string{"En vedette", "Festival de jazz", "Les organisateurs", "Marché de Noël"},
			removed: map[string]string{"En vedette": layerLexicon, "Festival de jazz": layerLexicon},
		},
		{
			name: "en junk top line, ad label, newsletter",
			text: `Top 5 Gadgets

The harbour authority of Port Ellis said on Tuesday that the northern pier will close for repairs until the end of March, diverting ferry traffic to the southern terminal.

Advertisement

Officials said the repairs were overdue after inspectors found corrosion in several steel supports last autumn.

Sign up for our newsletter to get the morning briefing in your inbox.`,
			keep:    []string{"The harbour authority of Port Ellis", "inspectors found corrosion"},
			drop:    []string{"Top 5 Gadgets", "Advertisement", "Sign up for our newsletter"},
			removed: map[string]string{"Top 5 Gadgets": layerStructure, "Advertisement": layerLexicon, "Sign up": layerLexicon},
		},
		{
			name: "en when in doubt keep",
			text: `Related concerns were raised by residents at the meeting, who asked the council to publish the full survey of the old mill before any decision.

Read more

The survey, commissioned two years ago, found that the east wall could be saved but that the roof would have to be rebuilt entirely.

Councillors said they would read more of the residents' letters before the vote next month, and promised a second public meeting.

YouTube videos of the mill have drawn thousands of viewers, according to the local history society.`,
			keep: []string{
				"Related concerns were raised", "The survey, commissioned two years ago",
				"Councillors said they would read more", "YouTube videos of the mill",
			},
			drop:    []string{"Read more\n"},
			removed: map[string]string{"Read more": layerLexicon},
		},
		{
			name: "de credit and related marker",
			text: `Die Stadtwerke von Lindenau erhöhen zum Jahreswechsel die Preise für Fernwärme um durchschnittlich sechs Prozent, wie ein Sprecher am Montag mitteilte.

Foto: Stadtwerke Lindenau

Begründet wird der Schritt mit gestiegenen Kosten für Wartung und Personal; für Haushalte mit geringem Einkommen soll es einen Härtefallfonds geben.

Lesen Sie auch

Neue Buslinie zum Gewerbegebiet
Schwimmbad öffnet nach Sanierung`,
			keep:    []string{"Die Stadtwerke von Lindenau erhöhen", "Härtefallfonds geben."},
			drop:    []string{"Foto: Stadtwerke", "Lesen Sie auch", "Neue Buslinie", "Schwimmbad öffnet"},
			removed: map[string]string{"Foto:": layerLexicon, "Lesen Sie auch": layerLexicon},
		},
		{
			name: "es call to action and related",
			text: `El ayuntamiento de Villaseca abrirá en febrero un nuevo centro de salud en el barrio de la estación, que atenderá a unos doce mil vecinos.

Publicidad

La obra, que ha costado 3,2 millones de euros, incluye una sala de urgencias y consultas de pediatría, según informó la concejala de Sanidad.

Síguenos en Twitter y Facebook para estar al día.

Te puede interesar

Cortes de tráfico en el centro por las fiestas
La piscina municipal amplía su horario`,
			keep:    []string{"El ayuntamiento de Villaseca abrirá en febrero", "consultas de pediatría"},
			drop:    []string{"Publicidad", "Síguenos", "Te puede interesar", "Cortes de tráfico", "La piscina municipal"},
			removed: map[string]string{"Publicidad": layerLexicon, "Síguenos": layerLexicon, "Te puede interesar": layerLexicon},
		},
		{
			name: "related marker before any body removes only the marker",
			text: `Related

The lighthouse on Gull Point will be repainted this summer after volunteers raised the money in a single weekend, the trust said.

Work is expected to take six weeks, weather permitting.`,
			keep: []string{"The lighthouse on Gull Point", "Work is expected to take six weeks"},
			drop: []string{"Related"},
		},
		{
			name:  "title given by the feed",
			title: "Ferry timetable changes from May",
			text: `Ferry timetable changes from May

The island ferry will run two extra crossings on weekdays from May, the operator announced, answering complaints from commuters about crowded morning boats.`,
			keep:      []string{"The island ferry will run two extra crossings"},
			drop:      []string{"Ferry timetable changes from May"},
			removed:   map[string]string{"Ferry timetable": layerStructure},
			wantTitle: "Ferry timetable changes from May",
		},
	}
	e := newTestExtractor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Extract(Input{Text: tt.text, Title: tt.title})
			if err != nil {
				t.Fatal(err)
			}
			checkSnippets(t, res, tt.keep, tt.drop)
			for start, layer := range tt.removed {
				found := false
				for _, r := range res.Removed {
					if strings.HasPrefix(r.Text, start) {
						found = true
						if r.Layer != layer {
							t.Errorf("%q removed by layer %q (%s), want %q", start, r.Layer, r.Reason, layer)
						}
					}
				}
				if !found {
					t.Errorf("no removal starting %q", start)
				}
			}
			if tt.wantTitle != "" && res.Title != tt.wantTitle {
				t.Errorf("title %q, want %q", res.Title, tt.wantTitle)
			}
			if t.Failed() {
				logResult(t, res)
			}
		})
	}
}

func TestExtractTextEmpty(t *testing.T) {
	e := newTestExtractor(t)
	res, err := e.Extract(Input{Text: "Advertisement\n\nSubscribe to our newsletter for the best stories.\n\nShare this article\n"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Empty || res.Text != "" {
		t.Errorf("want Empty and no text, got Empty=%v Text=%q", res.Empty, res.Text)
	}
	if len(res.Removed) != 3 {
		t.Errorf("want 3 removals, got %d: %+v", len(res.Removed), res.Removed)
	}
}

func TestExtractTextParagraphs(t *testing.T) {
	e := newTestExtractor(t)
	res, err := e.Extract(Input{Text: "First  paragraph\u00a0here.\r\n\r\n\r\nSecond\tparagraph here.\nThird one."})
	if err != nil {
		t.Fatal(err)
	}
	want := "First paragraph here.\n\nSecond paragraph here.\n\nThird one."
	if res.Text != want {
		t.Errorf("got %q, want %q", res.Text, want)
	}
}

func TestGluedWord(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"CybercrimeNegli", true},
		{"InnovazioneL’evoluzione", true},
		{"VulnerabilitàNegli", true},
		{"YouTube", false},
		{"McDonald", false},
		{"iPhone", false},
		{"Hello", false},
		{"ABC", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := gluedWord(tt.in); got != tt.want {
			t.Errorf("gluedWord(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// logResult logs an extraction's text and every removal, for a failed test.
func logResult(t *testing.T, res Result) {
	t.Helper()
	t.Logf("text:\n%s", res.Text)
	for _, r := range res.Removed {
		t.Logf("removed [%s] %s: %q", r.Layer, r.Reason, r.Text)
	}
}

func checkSnippets(t *testing.T, res Result, keep, drop []string) {
	t.Helper()
	for _, s := range keep {
		if !strings.Contains(res.Text, s) {
			t.Errorf("lost %q", s)
		}
	}
	for _, s := range drop {
		if strings.Contains(res.Text+"\n", s) {
			t.Errorf("left %q", s)
		}
	}
}
