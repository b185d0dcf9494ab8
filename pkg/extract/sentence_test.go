package extract

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// The texts below are invented for these tests: pages flattened to one line
// (title, banner, article and footer run together), as scraped text often
// comes, in the languages the sentence pass and the new lexicons cover.
func TestNoticeSentences(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		keep  []string
		drop  []string
		empty bool
		// reasons lists a start of each removal's reason that must be there.
		reasons []string
	}{
		{
			name: "de consent banner glued after the title",
			text: "Stadtrat von Kornhausen beschließt neue Buslinie Um die Funktion unserer Website zu verbessern und Ihnen passende Angebote zu zeigen, erheben wir Daten über Ihren Besuch, auch mit Werkzeugen unserer Partner und Dienstleister aus dem In- und Ausland, die wir sorgfältig auswählen und regelmäßig prüfen. " +
				"Einzelheiten finden Sie in unserer Datenschutzerklärung. Indem Sie auf „Akzeptieren und schließen“ klicken, stimmen Sie dem zu. " +
				"Der Stadtrat von Kornhausen hat am Dienstag mit großer Mehrheit eine neue Buslinie zwischen dem Bahnhof und dem Gewerbegebiet Nord beschlossen. Die Linie soll ab dem Frühjahr im Halbstundentakt fahren und vor allem Pendlern den Umstieg erleichtern.",
			keep:    []string{"Stadtrat von Kornhausen beschließt neue Buslinie", "Der Stadtrat von Kornhausen hat am Dienstag", "im Halbstundentakt fahren"},
			drop:    []string{"Um die Funktion unserer Website", "Datenschutzerklärung", "Akzeptieren und schließen"},
			reasons: []string{`cookie (de): "um die funktion`, "between two notices", `cookie (de): "akzeptieren`},
		},
		{
			name: "en subscription pitch and syndication note at the end",
			text: "Harbour town opens its first floating library The floating library of Port Elsa, a converted ferry, opened on Saturday with four thousand books and a reading deck for children. " +
				"The town council bought the ferry last year for a symbolic sum and volunteers spent the winter refitting it. " +
				"Thank you for subscribing to our morning briefing, see our privacy notice for how we use your data. " +
				"This article was originally published on the Port Elsa Gazette.",
			keep:    []string{"The floating library of Port Elsa", "volunteers spent the winter refitting it."},
			drop:    []string{"Thank you for subscribing", "originally published"},
			reasons: []string{`cta (en): "thank you for subscribing"`, `legal (en): "this article was originally published"`},
		},
		{
			name:    "pl bot-check page: nothing is left",
			text:    "Przepraszamy, z Twojego połączenia przyszło bardzo wiele zapytań. Jeśli chcesz kontynuować, zaznacz pole „Nie jestem robotem”. Twój adres IP: 192.0.2.44",
			empty:   true,
			reasons: []string{`captcha (pl): "nie jestem robotem"`, "bot-check page"},
		},
		{
			name:    "en bot-check notice in short text: the page goes",
			text:    "Access to this page has been blocked.\nWe detected unusual traffic from your computer network.\nPlease verify you are human to continue.",
			empty:   true,
			reasons: []string{"captcha (en)", "bot-check page"},
		},
		{
			name:    "it snippet: the title stays, the channel's call to action goes",
			text:    "La sindaca di Roccalta presenta il nuovo piano rifiuti. Seguici sui social e iscriviti al canale per non perdere i prossimi video.",
			keep:    []string{"La sindaca di Roccalta presenta il nuovo piano rifiuti."},
			drop:    []string{"Seguici sui social"},
			reasons: []string{`cta (it): "seguici sui social" in a sentence`},
		},
		{
			name: "es newsletter form and copyright notice inside the text",
			text: "El ayuntamiento de Villaclara amplía el horario de la piscina municipal Al hacer clic en enviar quedarás suscrito a nuestro boletín, que podrás cancelar cuando quieras. " +
				"El ayuntamiento de Villaclara ampliará desde julio el horario de la piscina municipal hasta las diez de la noche, según anunció el concejal de deportes, que atribuyó la medida a la ola de calor. " +
				"La ley de derechos de autor prohíbe copiar los contenidos de este diario sin permiso por escrito.",
			keep:    []string{"amplía el horario de la piscina municipal", "hasta las diez de la noche"},
			drop:    []string{"Al hacer clic en enviar", "derechos de autor"},
			reasons: []string{`cta (es): "al hacer clic en enviar"`, `legal (es): "la ley de derechos de autor prohibe"`},
		},
		{
			name: "ru subscription pitch after the article",
			text: "В Заречном открыли новый мост через реку Мост длиной двести метров соединил два района города и сократил путь до больницы почти вдвое, сообщили в мэрии. Строительство заняло полтора года. " +
				"Поддержите местную журналистику: подпишитесь на нашу газету сегодня. Спасибо за подписку.",
			keep:    []string{"Мост длиной двести метров", "Строительство заняло полтора года."},
			drop:    []string{"Поддержите местную журналистику", "Спасибо за подписку"},
			reasons: []string{`cta (ru)`},
		},
		{
			name: "de press release: contact lines at the end",
			text: "Feuerwehr löscht Brand in Lagerhalle Kornhausen (ots) Am Sonntagabend ist in einer Lagerhalle im Gewerbegebiet Nord ein Feuer ausgebrochen, das die Feuerwehr nach drei Stunden unter Kontrolle brachte. Verletzt wurde niemand. " +
				"Rückfragen bitte an: Feuerwehr Kornhausen, Pressestelle, Telefon: 01234 56-789, E-Mail: presse@feuerwehr-kornhausen.example",
			keep:    []string{"Am Sonntagabend ist in einer Lagerhalle", "Verletzt wurde niemand."},
			drop:    []string{"presse@feuerwehr-kornhausen.example"},
			reasons: []string{"contact details"},
		},
		{
			name: "pl consent: a click-to-agree notice and its privacy sentences",
			text: "Nowa linia tramwajowa w Borowicach ruszy w maju. Linia połączy dworzec z nowym osiedlem i skróci dojazd do centrum o kwadrans, poinformował w poniedziałek zarząd transportu miejskiego. " +
				"Szczegóły znajdziesz w naszej polityce prywatności. Klikając przycisk „Akceptuję”, wyrażasz zgodę na przetwarzanie danych. Możesz ją wycofać w każdej chwili w ustawieniach.",
			keep:    []string{"Nowa linia tramwajowa w Borowicach", "o kwadrans"},
			drop:    []string{"polityce prywatności", "wyrażasz zgodę"},
			reasons: []string{`cookie (pl): "klikajac + zgode"`, "beside a notice"},
		},
		{
			name: "en registration wall with its form's options",
			text: "Copper demand to slow next year Start your free trial to read our reports. Please fill in the form below. The password for your account must be at least ten characters long. " +
				"First Name Last Name Company Job Title Country Albania Andorra Austria Belgium Bulgaria Croatia Cyprus Denmark Estonia Finland France Germany Greece Hungary Iceland Ireland Italy Latvia Lithuania Luxembourg Malta Norway Poland Portugal Romania Sector of Interest Equities Bonds Commodities",
			keep:    []string{"Copper demand to slow next year"},
			drop:    []string{"free trial", "password", "Albania Andorra"},
			reasons: []string{`paywall (en): "start your free trial"`, "beside a notice"},
		},
		{
			name: "keep: German prose is not a list of options, whatever its capitals",
			text: "Die Stadtwerke Kornhausen erhöhen zum Januar die Preise für Strom und Gas. Start Ihrer Kundenkonten im Internet bleibt kostenlos, teilte das Unternehmen mit. " +
				"Die Verbraucherzentrale Niedersachsen Rät Kunden Mit Hohem Verbrauch Zum Vergleich Der Tarife Und Nennt Beratungsstellen In Hannover Braunschweig Oldenburg Osnabrück Göttingen Lüneburg Celle Hildesheim Wolfsburg Salzgitter Peine Goslar Emden Leer Aurich",
			keep: []string{"Die Stadtwerke Kornhausen", "Oldenburg Osnabrück"},
		},
		{
			name: "keep: an e-mail address quoted in the article",
			text: "Police warn of fake tax refund messages Residents of Port Elsa have received e-mails claiming to come from the tax office, sent from refunds@tax-office.example, and asking for bank details. " +
				"The tax office said it never asks for bank details by e-mail and urged people to delete the messages.",
			keep: []string{"sent from refunds@tax-office.example", "urged people to delete the messages."},
		},
		{
			name: "keep: news prose about cookies and privacy",
			text: "Regulator fines retailer over cookie banners The national data protection authority fined an online retailer on Monday for cookie banners that made refusing harder than accepting. " +
				"Its ruling says the retailer's privacy policy did not explain which partners received the data, and that consent collected by the banner was not valid. " +
				"The retailer said it would change the banner, which read \"we use cookies to improve your experience\", within a month. " +
				"Consumer groups welcomed the decision and asked other shops to review their own consent forms.",
			keep: []string{"Regulator fines retailer over cookie banners", "privacy policy did not explain", "we use cookies to improve your experience", "review their own consent forms"},
		},
		{
			name: "keep: an article about bot checks is not one",
			text: strings.Repeat("Security researchers say the familiar box that asks visitors to confirm they are not robots is losing its value, because image recognition now solves most puzzles faster than people do. ", 6) +
				"Sites that still rely on the \"I am not a robot\" checkbox should add other signals, the report concludes. " +
				strings.Repeat("The authors tested forty sites over six months and found that automated tools passed nine checks in ten. ", 5),
			keep: []string{"I am not a robot", "forty sites over six months"},
		},
	}
	e := newTestExtractor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Extract(Input{Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			if res.Empty != tt.empty {
				t.Errorf("Empty = %v, want %v; text %q", res.Empty, tt.empty, res.Text)
			}
			for _, k := range tt.keep {
				if !strings.Contains(res.Text, k) {
					t.Errorf("lost %q; text %q; removed %+v", k, res.Text, res.Removed)
				}
			}
			for _, d := range tt.drop {
				if strings.Contains(res.Text, d) {
					t.Errorf("kept %q; text %q", d, res.Text)
				}
			}
			for _, want := range tt.reasons {
				if !slices.ContainsFunc(res.Removed, func(r article.Removal) bool { return strings.HasPrefix(r.Reason, want) }) {
					t.Errorf("no removal for %q: %+v", want, res.Removed)
				}
			}
			for _, r := range res.Removed {
				if r.Layer != layerLexicon && r.Layer != layerStructure || r.Reason == "" || r.Text == "" {
					t.Errorf("removal without a layer, reason or text: %+v", r)
				}
			}
			if tt.keep != nil && len(tt.reasons) == 0 && len(res.Removed) > 0 {
				t.Errorf("news prose lost blocks: %+v", res.Removed)
			}
		})
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"One here. Two there! Three?", []string{"One here.", "Two there!", "Three?"}},
		{"See the policy.Details follow", []string{"See the policy.", "Details follow"}},
		{"U.S. officials met J. Doe at 3.5 percent.", []string{"U.S. officials met J. Doe at 3.5 percent."}},
		{"He said \"stop.\" Then left.", []string{"He said \"stop.\"", "Then left."}},
		{"第一句。第二句。", []string{"第一句。", "第二句。"}},
		{"no end", []string{"no end"}},
	}
	for _, tt := range tests {
		if got := splitSentences(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("splitSentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
