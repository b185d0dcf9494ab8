package ingest

import "github.com/newsdedup/newsdedup/pkg/article"

func articleDefaultID(u string) string { return article.DefaultID(u, "") }
