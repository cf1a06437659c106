package s3api_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// benchSizes are the object sizes the benchmarks measure: a small artifact and a
// large one that must stream.
var benchSizes = []int{4 << 10, 64 << 20}

func sizeName(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

// benchClient keeps a connection per goroutine alive; the default client keeps two
// per host and would measure connection setup instead of the server.
var benchClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func benchPut(b *testing.B, url string, data []byte) {
	req, err := http.NewRequest(http.MethodPut, url, bytes.NewReader(data))
	require.NoError(b, err)
	resp, err := benchClient.Do(req)
	require.NoError(b, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(b, http.StatusOK, resp.StatusCode)
}

// BenchmarkPutObject measures PUTs over HTTP into SQLite and the filesystem, with
// every byte hashed (MD5) and fsynced.
func BenchmarkPutObject(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(sizeName(size), func(b *testing.B) {
			srv := MustStart(b)
			benchPut(b, srv.URL+"/bench", nil)
			data := make([]byte, size)
			_, _ = rand.Read(data)
			b.SetBytes(int64(size))
			b.ResetTimer()
			i := 0
			for b.Loop() {
				benchPut(b, fmt.Sprintf("%s/bench/k%d", srv.URL, i%64), data)
				i++
			}
		})
	}
}

// BenchmarkPutObjectParallel measures concurrent small PUTs, where group commit
// and fsync batching decide throughput.
func BenchmarkPutObjectParallel(b *testing.B) {
	srv := MustStart(b)
	benchPut(b, srv.URL+"/bench", nil)
	data := make([]byte, 4<<10)
	b.SetBytes(int64(len(data)))
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var k [8]byte
		_, _ = rand.Read(k[:])
		i := 0
		for pb.Next() {
			benchPut(b, fmt.Sprintf("%s/bench/%x-%d", srv.URL, k, i%64), data)
			i++
		}
	})
}

// BenchmarkGetObjectParallel measures concurrent small GETs.
func BenchmarkGetObjectParallel(b *testing.B) {
	srv := MustStart(b)
	benchPut(b, srv.URL+"/bench", nil)
	benchPut(b, srv.URL+"/bench/obj", make([]byte, 4<<10))
	b.SetBytes(4 << 10)
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := benchClient.Get(srv.URL + "/bench/obj")
			require.NoError(b, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// BenchmarkGetObject measures GETs over HTTP.
func BenchmarkGetObject(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(sizeName(size), func(b *testing.B) {
			srv := MustStart(b)
			benchPut(b, srv.URL+"/bench", nil)
			data := make([]byte, size)
			_, _ = rand.Read(data)
			benchPut(b, srv.URL+"/bench/obj", data)
			b.SetBytes(int64(size))
			b.ResetTimer()
			for b.Loop() {
				resp, err := benchClient.Get(srv.URL + "/bench/obj")
				require.NoError(b, err)
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				require.Equal(b, int64(size), n)
			}
		})
	}
}
