package bus

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// BenchmarkWorkerRoundTrip measures the bus alone: one stage consuming,
// publishing one output and acking, against the embedded server.
func BenchmarkWorkerRoundTrip(b *testing.B) {
	for _, conc := range []int{1, 4} {
		b.Run("concurrency="+strconv.Itoa(conc), func(b *testing.B) {
			js := startBusB(b)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			st, _ := StageNamed(StageExtractor)
			done := make(chan struct{}, b.N)
			w := &Worker{JS: js, Stage: st, Concurrency: conc, Handle: func(_ context.Context, data []byte) ([]Out, error) {
				done <- struct{}{}
				return []Out{{Subject: SubjectExtracted, Data: data, MsgID: "x:" + string(data)}}, nil
			}}
			go w.Run(ctx)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if err := Publish(ctx, js, Out{Subject: SubjectRaw, Data: []byte(strconv.Itoa(i)), MsgID: "raw:" + strconv.Itoa(i)}); err != nil {
					b.Fatal(err)
				}
			}
			for i := 0; i < b.N; i++ {
				<-done
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}
