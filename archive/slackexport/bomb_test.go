package slackexport

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// bombFile is one file of a generated zip: prefix, then pad repeated to
// make padBytes, then suffix.
type bombFile struct {
	name           string
	prefix, suffix string
	pad            byte
	padBytes       int64
}

// padChunk is the unit of padding: compressed once, its deflate blocks
// repeated, so that generating gigabytes takes neither the time to
// compress them nor the memory to hold them.
const padChunk = 1 << 20

// writeBomb writes a zip of files to a new file in dir, deterministically
// and streaming: the padding's compressed blocks are written again and
// again, which is valid deflate because a flushed block from a fresh
// compressor refers to nothing before it.
func writeBomb(tb testing.TB, dir string, files []bombFile) string {
	tb.Helper()
	p := filepath.Join(dir, "bomb.zip")
	out, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	for _, f := range files {
		if f.padBytes%padChunk != 0 {
			tb.Fatalf("%s: padding must be a multiple of %d", f.name, padChunk)
		}
		chunk := bytes.Repeat([]byte{f.pad}, padChunk)
		head, body, tail := deflated(tb, []byte(f.prefix), false), deflated(tb, chunk, false), deflated(tb, []byte(f.suffix), true)
		crc := crc32.Update(0, crc32.IEEETable, []byte(f.prefix))
		for range f.padBytes / padChunk {
			crc = crc32.Update(crc, crc32.IEEETable, chunk)
		}
		crc = crc32.Update(crc, crc32.IEEETable, []byte(f.suffix))
		n := f.padBytes / padChunk
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, CRC32: crc,
			UncompressedSize64: uint64(int64(len(f.prefix)) + f.padBytes + int64(len(f.suffix))),
			CompressedSize64:   uint64(int64(len(head)) + n*int64(len(body)) + int64(len(tail)))}
		w, err := zw.CreateRaw(h)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(head)
		for range n {
			w.Write(body)
		}
		w.Write(tail)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return p
}

// deflated compresses b on its own: flushed (byte-aligned, not final), or
// closed (final).
func deflated(tb testing.TB, b []byte, final bool) []byte {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	fw.Write(b)
	if final {
		err = fw.Close()
	} else {
		err = fw.Flush()
	}
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestWriteBomb checks the generator itself: the zip reads back as the
// bytes it describes.
func TestWriteBomb(t *testing.T) {
	p := writeBomb(t, t.TempDir(), []bombFile{{name: "a.json", prefix: "[{", suffix: "}]", pad: ' ', padBytes: 3 * padChunk}})
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("a.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	want := "[{" + string(bytes.Repeat([]byte{' '}, 3*padChunk)) + "}]"
	if string(got) != want {
		t.Errorf("read %d bytes, want %d", len(got), len(want))
	}
}
