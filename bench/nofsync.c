/* LD_PRELOAD shim for bench/scale.sh's generator only (NOFSYNC=1): fsync and friends return at once, so
 * generating millions of tiny blobs and SQLite commits is bounded by the CPU, not by the disk's flush
 * latency. The data is flushed once at the end with sync(1); a crash during generation can lose it, which
 * the generator's resumability (it skips what is stored) and a fresh root cover. Never used for a server
 * that is measured. */
int fsync(int fd) { (void) fd; return 0; }
int fdatasync(int fd) { (void) fd; return 0; }
