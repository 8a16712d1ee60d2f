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
// Usage: embedded-db --data DIR --port PORT. It prints "READY <port> journal_mode=… synchronous=…"
// once it listens. It stops when its standard input closes (its parent died or let go) or on
// SIGINT/SIGTERM: it stops accepting connections, finishes the wire messages it has already read
// and sends their replies (for at most drainTimeout), then closes FerretDB and exits.
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
	drainTimeout    = 5 * time.Second // for the messages already read when a stop is asked for
	ferretStopWait  = 3 * time.Second
)

// sqliteParams are the connection settings of every SQLite connection, FerretDB's and ours. They
// are FerretDB v1's defaults made explicit, plus the durability setting: WAL journal, and
// synchronous=FULL, so that a commit is fsynced to the WAL before FerretDB (and so the launcher)
// answers. An acknowledged write therefore survives a killed launcher and a power loss. FerretDB
// passes the query string on to the modernc.org/sqlite driver, which runs each _pragma on every new
// connection (busy_timeout must come before journal_mode; FerretDB adds auto_vacuum(none)).
const sqliteParams = "_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)&_pragma=synchronous(full)"

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
		SQLiteURL: "file:" + dir + "/?" + sqliteParams,
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

	durability, err := sqliteSettings()
	if err != nil {
		cancel()
		fail(err.Error())
	}

	p := &proxy{sock: sock, indexer: newIndexer(dir), conns: map[net.Conn]struct{}{}}
	go p.serve(ln)
	fmt.Printf("READY %d %s\n", actual, durability)

	waitForStop()
	_ = ln.Close() // no new connections
	if busy := p.drain(drainTimeout); busy > 0 {
		fmt.Fprintf(os.Stderr, "embedded-db: %d connection(s) still busy after %s; closing them\n", busy, drainTimeout)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(ferretStopWait):
	}
	p.indexer.closeAll()
	_ = os.Remove(portFile)
}

// sqliteSettings reads back, from a scratch database opened with sqliteParams, the journal mode and
// synchronous level SQLite actually applies (an unknown pragma value would be ignored silently).
func sqliteSettings() (string, error) {
	tmp, err := os.MkdirTemp("", "edb-check")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(tmp, "check.sqlite")+"?"+sqliteParams)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var mode string
	var level int
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		return "", err
	}
	if err := db.QueryRow("PRAGMA synchronous").Scan(&level); err != nil {
		return "", err
	}
	names := map[int]string{0: "off", 1: "normal", 2: "full", 3: "extra"}
	return fmt.Sprintf("journal_mode=%s synchronous=%s", mode, names[level]), nil
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

	connMu   sync.Mutex // guards conns and draining
	conns    map[net.Conn]struct{}
	draining bool
	handlers sync.WaitGroup
}

func (p *proxy) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			_ = c.Close()
			continue
		}
		go func() {
			defer p.untrack(c)
			p.handle(c)
		}()
	}
}

// track registers a client connection unless a drain has begun. Registration and drain take the
// same lock, so every handlers.Add happens before drain's Wait.
func (p *proxy) track(c net.Conn) bool {
	p.connMu.Lock()
	defer p.connMu.Unlock()
	if p.draining {
		return false
	}
	p.conns[c] = struct{}{}
	p.handlers.Add(1)
	return true
}

func (p *proxy) untrack(c net.Conn) {
	p.connMu.Lock()
	delete(p.conns, c)
	p.connMu.Unlock()
	p.handlers.Done()
}

// drain lets every message already read run to its reply, and reads no new one: a read deadline in
// the past ends each handler's next read (a handler waiting for the lock or for FerretDB still has
// its message, and answers it first). It returns how many connections were still busy at the
// timeout; those are closed.
func (p *proxy) drain(timeout time.Duration) int {
	p.connMu.Lock()
	p.draining = true
	for c := range p.conns {
		_ = c.SetReadDeadline(time.Now())
	}
	p.connMu.Unlock()

	done := make(chan struct{})
	go func() {
		p.handlers.Wait()
		close(done)
	}()
	select {
	case <-done:
		return 0
	case <-time.After(timeout):
	}
	p.connMu.Lock()
	defer p.connMu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
	return len(p.conns)
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
	db, err := sql.Open("sqlite", "file:"+file+"?"+sqliteParams)
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
