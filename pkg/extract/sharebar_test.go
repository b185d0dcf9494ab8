package extract

import "testing"

// TestShareBars: share bars go, whether one button a line, one line of
// names, or glued into a flattened page; lists of networks in prose, and a
// short heading before a bar, stay.
func TestShareBars(t *testing.T) {
	const body = "Il consiglio comunale di Valdoria ha approvato ieri sera il piano che prevede dodici chilometri di nuove piste ciclabili entro il 2027, con diciotto voti favorevoli."
	tests := []struct {
		name string
		text string
		keep []string
		drop []string // each must be removed as a share bar
		gone []string // each must be removed, by whatever layer
	}{
		{
			name: "a button a line",
			text: body + "\n\nLe reazioni\n\nTwitter\n\nFacebook\n\nLinkedIn\n\nDi più\n\nStampa\n\nReddit\n\nLa giunta risponderà alle critiche dell'opposizione nella seduta della prossima settimana, ha detto il sindaco.",
			keep: []string{body, "Le reazioni", "La giunta risponderà"},
			drop: []string{"Twitter", "Facebook", "LinkedIn", "Di più", "Stampa", "Reddit"},
		},
		{
			name: "names on one line, counts beside them",
			text: body + "\n\nFacebook 12 Twitter 3 WhatsApp 0 Email",
			keep: []string{body},
			drop: []string{"Facebook 12 Twitter 3 WhatsApp 0 Email"},
		},
		{
			name: "glued into a flattened page",
			text: "Valdoria approva il piano per le piste ciclabili Condividi WhatsApp Facebook Twitter Pinterest Linkedin Tumblr " + body,
			keep: []string{"Valdoria approva il piano per le piste ciclabili Condividi", body},
			drop: []string{"WhatsApp Facebook Twitter Pinterest Linkedin Tumblr"},
		},
		{
			name: "a notice in the line the bar is cut from still goes",
			text: body + "\n\nPiste ciclabili, il piano approvato WhatsApp Facebook Twitter Pinterest Linkedin. Iscriviti alla nostra newsletter.",
			keep: []string{body, "Piste ciclabili, il piano approvato"},
			drop: []string{"WhatsApp Facebook Twitter Pinterest Linkedin."},
			gone: []string{"Iscriviti alla nostra newsletter"},
		},
		{
			name: "prose lists stay",
			text: "Facebook, Twitter, Instagram down for hours\n\nUsers of Facebook, Instagram and WhatsApp could not send messages for six hours on Monday, the company said.\n\nThe ministry posted the video on Facebook, Twitter and Telegram on Sunday.\n\nFacebook and Twitter executives met the committee on Tuesday.",
			keep: []string{"Facebook, Twitter, Instagram down for hours", "Users of Facebook, Instagram and WhatsApp", "The ministry posted the video on Facebook, Twitter and Telegram on Sunday.", "Facebook and Twitter executives"},
		},
		{
			name: "two names are not a bar",
			text: body + "\n\nTwitter\n\nFacebook\n\nLa giunta risponderà alle critiche dell'opposizione nella seduta della prossima settimana.",
			keep: []string{"Twitter", "Facebook"},
		},
	}
	e := newTestExtractor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Extract(Input{Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			checkSnippets(t, res, tt.keep, tt.gone)
			for _, d := range tt.drop {
				found := false
				for _, r := range res.Removed {
					if r.Text == d && r.Reason == "share bar" && r.Layer == layerStructure {
						found = true
					}
				}
				if !found {
					t.Errorf("%q not removed as a share bar", d)
				}
			}
			if t.Failed() {
				logResult(t, res)
			}
		})
	}
}
