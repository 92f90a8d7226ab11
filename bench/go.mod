module github.com/pickle-go/pickle/bench

go 1.25

require (
	github.com/kisielk/og-rek v1.3.0
	github.com/nlpodyssey/gopickle v0.2.0
	github.com/pickle-go/pickle v0.0.0
)

require (
	github.com/aristanetworks/gomap v0.0.0-20230726210543-f4e41046dced // indirect
	github.com/klauspost/compress v1.20.4 // indirect
	github.com/pierrec/lz4/v4 v4.1.33 // indirect
	github.com/ulikunitz/xz v0.5.17 // indirect
	golang.org/x/exp v0.0.0-20230725093048-515e97ebf090 // indirect
)

replace github.com/pickle-go/pickle => ../
