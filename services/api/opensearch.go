package api

import (
	"encoding/xml"
	"net/http"
)

// openSearch is an OpenSearch 1.1 description: with it a browser offers the
// search page as a search engine of its address bar, which opens /?q=….
type openSearch struct {
	XMLName       xml.Name `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string   `xml:"ShortName"`
	Description   string   `xml:"Description"`
	InputEncoding string   `xml:"InputEncoding"`
	Image         struct {
		Type  string `xml:"type,attr"`
		Width int    `xml:"width,attr"`
		Value string `xml:",chardata"`
	} `xml:"Image"`
	URLs []openSearchURL `xml:"Url"`
}

type openSearchURL struct {
	Type     string `xml:"type,attr"`
	Method   string `xml:"method,attr,omitempty"`
	Template string `xml:"template,attr"`
}

// OpenSearchType is the media type of /opensearch.xml.
const OpenSearchType = "application/opensearchdescription+xml"

func (h *handler) openSearch(w http.ResponseWriter, r *http.Request) {
	base := h.base(r)
	d := openSearch{ShortName: "newsdedup", Description: "Stories across languages, de-duplicated", InputEncoding: "UTF-8"}
	d.Image.Type, d.Image.Width, d.Image.Value = "image/svg+xml", 16, base+"/favicon.svg"
	d.URLs = []openSearchURL{
		{Type: "text/html", Method: "get", Template: base + "/?q={searchTerms}"},
		{Type: "application/atom+xml", Template: base + "/feed.atom?q={searchTerms}"},
		{Type: OpenSearchType, Template: base + "/opensearch.xml"},
	}
	b, err := xml.MarshalIndent(d, "", "  ")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "opensearch: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", OpenSearchType+"; charset=utf-8")
	w.Write([]byte(xml.Header))
	w.Write(b)
}
