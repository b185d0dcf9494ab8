// Package bus is the one place that knows newsdedup's NATS JetStream layout:
// subjects, streams, durable consumers and the worker loop that every stage
// shares (consume → handle → publish → ack, or dead-letter).
package bus

import "time"

// Subjects, in the order articles flow through them.
const (
	// SubjectFetch carries fetch requests (FetchRequest) for URLs and feeds.
	SubjectFetch = "fetch.requests"
	// SubjectRaw carries articles as fetched or imported (HTML or raw text).
	SubjectRaw = "articles.raw"
	// SubjectExtracted carries articles with clean text and their removals.
	SubjectExtracted = "articles.extracted"
	// SubjectDetected carries articles with their language.
	SubjectDetected = "articles.detected"
	// SubjectCorrections carries editors' corrections of the clustering
	// (story.Correction). They share the articles' stream so that the
	// clustering stage reads them in one order with the articles it
	// clusters, and a replay applies them at the same place.
	SubjectCorrections = "articles.corrections"
	// SubjectStories is the prefix of story events: stories.created, stories.updated, stories.merged.
	SubjectStories = "stories"
	// SubjectDLQ is the prefix of dead-letter records: dlq.<stage>.
	SubjectDLQ = "dlq"
)

// HeaderArticle is sent on every story event once per article that joined
// with it (the ids of the event's articles): a consumer that follows
// articles, not stories, reads them without decoding the whole story.
const HeaderArticle = "Newsdedup-Article"

// HeaderCorrection is sent on every story event an editor's correction
// caused, with the correction's id: `newsdedup stories` waits for its own
// without decoding every event.
const HeaderCorrection = "Newsdedup-Correction"

// Streams.
const (
	StreamFetch    = "FETCH"
	StreamArticles = "ARTICLES"
	StreamStories  = "STORIES"
	StreamDLQ      = "DLQ"
)

// Stage names double as durable consumer names.
const (
	StageFetcher    = "fetcher"
	StageExtractor  = "extractor"
	StageLangDetect = "langdetect"
	StageCluster    = "cluster"
)

// Delivery policy shared by every stage's durable consumer: a message that
// fails is redelivered with growing delays, then dead-lettered.
const (
	MaxDeliver = 5
	// AckWait is short so that a crashed worker's message is redelivered
	// quickly; a handler that runs longer keeps it with in-progress signals.
	AckWait = 10 * time.Second
)

// Backoff is the redelivery schedule; its length is MaxDeliver-1.
var backoff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute}

// StoriesSubject is the subject of a story event of the given type.
func StoriesSubject(eventType string) string { return SubjectStories + "." + eventType }

// DLQSubject is the dead-letter subject of a stage.
func DLQSubject(stage string) string { return SubjectDLQ + "." + stage }
