package modules

import (
	"reflect"
	"strings"
	"testing"
)

type embeddingArgs struct {
	Path string `arg:"path,dest"`
	fileCommon
}

func TestDecodeArgsEmbedded(t *testing.T) {
	decode := func(args map[string]any) (embeddingArgs, string) {
		var got embeddingArgs
		if err := decodeArgs("sample", args, &got); err != nil {
			return got, err.Error()
		}
		return got, ""
	}
	t.Run("fields and aliases", func(t *testing.T) {
		got, msg := decode(map[string]any{"dest": "/x", "mode": "0644", "owner": "root", "unsafe_writes": "yes", "attr": "a", "attributes": "b"})
		want := embeddingArgs{Path: "/x", fileCommon: fileCommon{Mode: "0644", Owner: "root", Unsafe: true, Attributes: "b"}}
		if msg != "" || !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v (%s), want %+v", got, msg, want)
		}
	})
	t.Run("unknown lists embedded", func(t *testing.T) {
		_, msg := decode(map[string]any{"zz": 1})
		want := "Unsupported parameters for (sample) module: zz. Supported parameters include: " +
			"attributes, group, mode, owner, path, selevel, serole, setype, seuser, unsafe_writes (attr, dest)."
		if msg != want {
			t.Fatalf("got %q, want %q", msg, want)
		}
	})
	t.Run("bad embedded value", func(t *testing.T) {
		_, msg := decode(map[string]any{"unsafe_writes": "maybe"})
		if want := "argument 'unsafe_writes' is of type <class 'str'> and we were unable to convert to bool: "; !strings.HasPrefix(msg, want) {
			t.Fatalf("got %q, want prefix %q", msg, want)
		}
	})
}

func TestFileCommonUnsupported(t *testing.T) {
	if r := (&fileCommon{Mode: "0644", Owner: "root"}).unsupported(); r != nil {
		t.Fatalf("got %v, want nil", r)
	}
	r := (&fileCommon{SEType: "x", SEUser: "y"}).unsupported()
	if r == nil || r["msg"] != "gossible does not support the setype argument" {
		t.Fatalf("got %v", r)
	}
}
