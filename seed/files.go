package seed

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// File is one seed file's raw content.
type File struct {
	Name string
	Data []byte
}

// EmbeddedFiles returns the seed files shipped in the binary, sorted by name.
func EmbeddedFiles() ([]File, error) {
	return readFS(Data, "data")
}

// ReadFiles reads seed files from paths; a directory contributes its *.yaml files.
func ReadFiles(paths []string) ([]File, error) {
	var files []File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			fs, err := readFS(os.DirFS(p), ".")
			if err != nil {
				return nil, err
			}
			for i := range fs {
				fs[i].Name = filepath.Join(p, fs[i].Name)
			}
			files = append(files, fs...)
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: p, Data: b})
	}
	return files, nil
}

func readFS(fsys fs.FS, dir string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			continue
		}
		b, err := fs.ReadFile(fsys, pathJoin(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: pathJoin(dir, e.Name()), Data: b})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

func pathJoin(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return dir + "/" + name
}
