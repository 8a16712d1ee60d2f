// Command embedded-db runs FerretDB v1 (SQLite storage) for development and tests, behind a
// loopback TCP proxy that fixes three defects of FerretDB v1 measured on this project's machines:
//
//   - the released `cmd/ferretdb` binary panics when built with `go install`, so we embed the
//     `ferretdb` package instead;
//   - updates are unlocked read-modify-write, so concurrent `$inc` and conditional updates lose
//     writes: we forward one wire message at a time, which gives single-document atomicity;
//   - SQLite queries filter on `_ferretdb_sjson->'$._id'` but the only index is on a different
//     expression, so every `_id` lookup scans: we add the matching expression index to every table.
//
// Usage: embedded-db --data DIR --port PORT. It exits when its standard input closes.
package main

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
	_ "modernc.org/sqlite"
)

const (
	opMsg           = 2013
	opQuery         = 2004
	flagMoreToCome  = 1 << 1
	flagExhaust     = 1 << 16
	maxMessageBytes = 48 * 1024 * 1024
	lockFileName    = "embedded-db.lock"
	portFileName    = "embedded-db.port"
	exitLocked      = 3
)

func main() {
	dataDir := flag.String("data", "", "data directory")
	port := flag.Int("port", 0, "loopback TCP port to listen on")
	flag.Parse()
	if *dataDir == "" {
		fail("--data is required")
	}
	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		fail(err.Error())
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		fail(err.Error())
	}

	lock := acquireLock(dir)
	defer lock.Close()

	sock, cleanupSock := socketPath(dir)
	defer cleanupSock()
	_ = os.Remove(sock)

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: sock},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	if err != nil {
		fail(err.Error())
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		_ = f.Run(ctx)
		close(done)
	}()

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		cancel()
		fail(err.Error())
	}
	actual := ln.Addr().(*net.TCPAddr).Port
	portFile := filepath.Join(dir, portFileName)
	if err := os.WriteFile(portFile, []byte(strconv.Itoa(actual)), 0o600); err != nil {
		cancel()
		fail(err.Error())
	}

	p := &proxy{sock: sock, indexer: newIndexer(dir)}
	go p.serve(ln)
	fmt.Printf("READY %d\n", actual)

	waitForStop()
	_ = ln.Close()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	p.indexer.closeAll()
	_ = os.Remove(portFile)
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "embedded-db: "+msg)
	os.Exit(1)
}

// acquireLock takes an exclusive lock on the data directory: two FerretDB processes must never
// share one. When another launcher holds it, print its port and exit with exitLocked so that the
// caller connects to that one instead.
func acquireLock(dir string) *os.File {
	lf, err := os.OpenFile(filepath.Join(dir, lockFileName), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		fail(err.Error())
	}
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		port, _ := os.ReadFile(filepath.Join(dir, portFileName))
		fmt.Printf("LOCKED %s\n", string(port))
		os.Exit(exitLocked)
	}
	return lf
}

// socketPath keeps the Unix socket inside the data directory unless that path is too long for
// sockaddr_un (about 100 bytes), in which case it goes into a short temporary directory.
func socketPath(dir string) (string, func()) {
	p := filepath.Join(dir, "ferretdb.sock")
	if len(p) < 100 {
		return p, func() { _ = os.Remove(p) }
	}
	tmp, err := os.MkdirTemp("/tmp", "edb")
	if err != nil {
		fail(err.Error())
	}
	return filepath.Join(tmp, "s"), func() { _ = os.RemoveAll(tmp) }
}

// waitForStop returns when stdin closes (the parent died or let go) or on SIGINT/SIGTERM.
func waitForStop() {
	stop := make(chan struct{}, 2)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop <- struct{}{}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		stop <- struct{}{}
	}()
	<-stop
}

type proxy struct {
	sock    string
	mu      sync.Mutex // one wire message at a time across all connections
	indexer *indexer
}

func (p *proxy) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *proxy) handle(client net.Conn) {
	defer client.Close()
	var upstream net.Conn
	var err error
	for i := 0; i < 50; i++ { // FerretDB may still be opening its socket right after start
		if upstream, err = net.Dial("unix", p.sock); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return
	}
	defer upstream.Close()

	for {
		msg, err := readMessage(client)
		if err != nil {
			return
		}
		reply, err := p.roundTrip(upstream, msg)
		if err != nil {
			return
		}
		if _, err := client.Write(reply); err != nil {
			return
		}
	}
}

func (p *proxy) roundTrip(upstream net.Conn, msg []byte) ([]byte, error) {
	cmd := parseCommand(msg)
	if cmd.flags&(flagMoreToCome|flagExhaust) != 0 {
		// A message without exactly one reply would desynchronise the proxy: refuse it.
		return nil, errors.New("moreToCome/exhaustAllowed messages are not supported")
	}
	// Handshakes and pings touch no data: they skip the lock, so the driver's monitors and health
	// checks still get answers while a long command (a collection scan) holds it.
	if !lockFree[cmd.name] {
		p.mu.Lock()
		defer p.mu.Unlock()
	}
	if cmd.name == "dropDatabase" {
		p.indexer.forgetDatabase(cmd.db) // our handle must not outlive the removed file
	}
	if _, err := upstream.Write(msg); err != nil {
		return nil, err
	}
	reply, err := readMessage(upstream)
	if err != nil {
		return nil, err
	}
	p.indexer.after(cmd)
	return reply, nil
}

func readMessage(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(binary.LittleEndian.Uint32(hdr[:]))
	if n < 16 || n > maxMessageBytes {
		return nil, fmt.Errorf("bad message length %d", n)
	}
	msg := make([]byte, n)
	copy(msg, hdr[:])
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

type command struct {
	flags uint32
	name  string
	coll  string
	db    string
}

// parseCommand reads the command name, collection and database from an OP_MSG body section, and
// the command name of a legacy OP_QUERY (drivers open connections with an OP_QUERY hello).
// Anything else yields an empty command, forwarded as is under the lock.
func parseCommand(msg []byte) command {
	var c command
	if len(msg) >= 21 && binary.LittleEndian.Uint32(msg[12:16]) == opQuery {
		return parseQuery(msg)
	}
	if len(msg) < 21 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return c
	}
	c.flags = binary.LittleEndian.Uint32(msg[16:20])
	i := 20
	for i < len(msg) {
		kind := msg[i]
		i++
		if i+4 > len(msg) {
			return c
		}
		size := int(binary.LittleEndian.Uint32(msg[i : i+4]))
		if size < 5 || i+size > len(msg) {
			return c
		}
		if kind == 0 {
			doc := bson.Raw(msg[i : i+size])
			if elems, err := doc.Elements(); err == nil && len(elems) > 0 {
				c.name = elems[0].Key()
				c.coll, _ = elems[0].Value().StringValueOK()
			}
			c.db, _ = doc.Lookup("$db").StringValueOK()
			return c
		}
		i += size
	}
	return c
}

func parseQuery(msg []byte) command {
	var c command
	i := 20 // header, then int32 flags
	end := i
	for end < len(msg) && msg[end] != 0 {
		end++
	}
	i = end + 1 + 8 // collection name's NUL, numberToSkip, numberToReturn
	if i+4 > len(msg) {
		return c
	}
	size := int(binary.LittleEndian.Uint32(msg[i : i+4]))
	if size < 5 || i+size > len(msg) {
		return c
	}
	if elems, err := bson.Raw(msg[i : i+size]).Elements(); err == nil && len(elems) > 0 {
		c.name = elems[0].Key()
	}
	return c
}

// indexer adds the `_id` expression index that FerretDB's queries can use.
type indexer struct {
	dir   string
	dbs   map[string]*sql.DB
	known map[string]bool // "db.collection" already indexed since the last drop
}

func newIndexer(dir string) *indexer {
	return &indexer{dir: dir, dbs: map[string]*sql.DB{}, known: map[string]bool{}}
}

var lockFree = map[string]bool{"hello": true, "isMaster": true, "ismaster": true, "ping": true, "buildInfo": true, "buildinfo": true}

var createsCollection = map[string]bool{
	"insert": true, "update": true, "findAndModify": true, "findandmodify": true,
	"create": true, "createIndexes": true,
}

var dropsCollection = map[string]bool{"drop": true, "dropDatabase": true, "renameCollection": true}

func (x *indexer) after(c command) {
	switch {
	case dropsCollection[c.name]:
		x.known = map[string]bool{}
	case createsCollection[c.name] && c.coll != "" && c.db != "":
		key := c.db + "." + c.coll
		if x.known[key] {
			return
		}
		if err := x.ensure(c.db, c.coll); err != nil {
			fmt.Fprintf(os.Stderr, "embedded-db: index for %s: %v\n", key, err)
			return
		}
	}
}

func (x *indexer) ensure(dbName, coll string) error {
	db, err := x.open(dbName)
	if err != nil || db == nil {
		return err
	}
	var table string
	err = db.QueryRow(`SELECT table_name FROM "_ferretdb_collections" WHERE name = ?`, coll).Scan(&table)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the command failed before creating anything
	}
	if err != nil {
		return err
	}
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"__id_expr", table)
	if _, err := db.Exec(q); err != nil {
		return err
	}
	x.known[dbName+"."+coll] = true
	return nil
}

func (x *indexer) open(dbName string) (*sql.DB, error) {
	if db := x.dbs[dbName]; db != nil {
		return db, nil
	}
	file := filepath.Join(x.dir, dbName+".sqlite")
	if _, err := os.Stat(file); err != nil {
		return nil, nil
	}
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	x.dbs[dbName] = db
	return db, nil
}

func (x *indexer) forgetDatabase(dbName string) {
	if db := x.dbs[dbName]; db != nil {
		_ = db.Close()
		delete(x.dbs, dbName)
	}
	x.known = map[string]bool{}
}

func (x *indexer) closeAll() {
	for name := range x.dbs {
		x.forgetDatabase(name)
	}
}
