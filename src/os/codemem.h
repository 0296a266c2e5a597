/* os/codemem.h — W^X code memory for the JIT: bytes and pages, no IR.
 *
 * Model
 * -----
 * Code lives in regions. On Linux a region is a memfd mapped once, read+exec only,
 * at a random address between two PROT_NONE guard areas, and kept mapped for reuse.
 * Bytes are written through a second, short-lived read+write view of the same memfd
 * at its own random address ("write window"). No mapping is ever writable and
 * executable, and no mapping ever gains exec permission (no mprotect at all), so the
 * layer works under prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN).
 *
 * Placement: each region's executable view sits at a random page address
 * (getrandom -> hint with MAP_FIXED_NOREPLACE, returned address always checked,
 * kernel placement as the last resort) with PROT_NONE guard pages on both sides;
 * the region's first usable byte is at a random offset inside its first page and
 * each reservation is preceded by a random pad. Measured: ~34 bits of page-granular
 * min-entropy on x86-64 (test os_placement_entropy), ~42 with the in-page offset.
 *
 * Every byte of a region is trap fill (the caller's pattern: INT3 on x86-64, a BRK
 * word on ARM64) from creation on; whatever an abort, a refused commit, an unused
 * tail or a release gives back is trap-filled again before it is reused.
 *
 * A write window maps whole pages, so it may also cover the neighbouring blocks of
 * the same pages: W^X holds per mapping, not per physical page. Keep windows short.
 *
 * Transactions
 * ------------
 *     struct hy_code_txn t;
 *     if (hy_code_reserve(cm, max_size, &t)) -> fall back to the interpreter
 *     emit into t.w (writable, never executable); t.x is where the bytes will run,
 *     so the emitter can compute call/branch distances against it
 *     hy_code_commit(cm, &t, used, verify, ud, &entry)   or   hy_code_abort(cm, &t)
 *
 * Commit: fills [used, reserved) with traps (that tail returns to the free list),
 * closes the write window (the writable view is unmapped), then calls verify()
 * (required, never NULL) on the bytes read back through the
 * EXECUTABLE view — exactly what will run, with no writable alias of this
 * transaction left. On success it flushes the instruction cache over the executable
 * range, performs the cross-core sync (Linux: membarrier SYNC_CORE, see
 * hy_codemem_sync_status) and returns the entry. On refusal the range is
 * trap-filled and freed, and the error says so.
 *
 * One transaction may hold several functions (batching: one write window and one
 * commit for a whole query); entry is then the start of the block and
 * hy_code_release() frees the whole block. Measured on our VM (x86-64): reserve
 * ~6 us (maps + prefaults the window), commit ~5 us (unmap, verify, flush,
 * membarrier ~0.6 us), patch and release ~10 us each (they open their own window);
 * the first region costs ~0.25 ms (map + trap-fill 256 KiB). So batch where you
 * can: the cost is per window, not per byte.
 *
 * Note on the dual map: while a window is open, bytes written through t.w are
 * already present in the executable view (same pages). Nothing runs them because no
 * one holds an entry pointer before commit returns; t.x is for address arithmetic
 * only, never for calling.
 *
 * Patching
 * --------
 * hy_code_patch(cm, xaddr, bytes, len, verify, ud) changes len bytes at xaddr inside
 * one committed block. The new block content is first composed in a private buffer
 * and verify() is called on it with the BLOCK's start address and length (the whole
 * function or batch, not just the patched range; put the patched offset in ud if the
 * verifier checks patch sites). Only if it accepts are the bytes written through a
 * short write window, read back through the executable view and compared, then the
 * icache is flushed and the cores synced.
 * THE CALLER GUARANTEES THAT NO THREAD IS EXECUTING THE BLOCK while it is patched
 * (patch a version nobody has entered, then publish it).
 *
 * Errors
 * ------
 * Every function returns 0 or a negative HY_CM_E* code and records a message in the
 * context (hy_codemem_errmsg). The message is sticky: it stays until the next error
 * or hy_codemem_clear_error(). Any failure leaves the context usable; the caller
 * falls back to the interpreter.
 *
 * Threads: a struct hy_codemem is internally locked; different threads may run
 * transactions on it concurrently. A context must not be used in a child after
 * fork() (calls there fail with HY_CM_EFORK); the child may still run old code.
 * macOS (MAP_JIT, untested here): the write switch is per thread, so reserve and
 * commit/abort of a transaction must run on one thread, at most one window per
 * thread may be open, and that thread must not run JIT code meanwhile.
 *
 * Cross-core sync: on Linux every commit/patch/release ends with
 * membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE) (registered once per
 * context). If the kernel refuses, the layer keeps working with the icache flush
 * alone and hy_codemem_sync_status() says "unavailable: <why>"; then threads must
 * pass a context-synchronizing event (a system call, ISB) before entering new code.
 */
#ifndef HY_OS_CODEMEM_H
#define HY_OS_CODEMEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    HY_CM_OK = 0,
    HY_CM_EINVAL = -1,     /* bad argument (message names it) */
    HY_CM_EMAP = -2,       /* the OS refused memory (mmap/memfd failure, errno text) */
    HY_CM_EEXHAUSTED = -3, /* the configured total limit would be exceeded */
    HY_CM_EINJECTED = -4,  /* fault injection (fail_after) */
    HY_CM_EVERIFY = -5,    /* the verifier refused the bytes; nothing was published */
    HY_CM_EFORK = -6,      /* context used in a forked child */
};

/* Platform operations: embedders may plug their own (cfg->ops). The core does the
 * allocation, trap fill, random offsets, verification and bookkeeping; the ops only
 * deal in pages. `err` is a buffer of errcap bytes for a message on failure.
 * All ops return 0 on success or a negative HY_CM_E* code. */
struct hy_os_region {
    uintptr_t x;    /* executable view base (page aligned, readable) */
    size_t size;    /* bytes, multiple of the page size */
    void *os;       /* private to the ops */
};

struct hy_os_ops {
    const char *name;
    /* Once per context: query page size etc.; may return a state pointer. */
    int (*init)(void **state, char *err, size_t errcap);
    void (*fini)(void *state);
    /* Fill n bytes with OS randomness. */
    int (*random)(void *state, void *buf, size_t n, char *err, size_t errcap);
    /* Create a region of `size` bytes (page multiple) at a random address. `rnd`
     * yields random 64-bit values for hints (deterministic when the config has a
     * seed). The content is unspecified (the core trap-fills it). */
    int (*region_new)(void *state, size_t size, uint64_t (*rnd)(void *), void *rctx,
                      struct hy_os_region *r, char *err, size_t errcap);
    void (*region_free)(void *state, struct hy_os_region *r);
    /* Open a write window over region bytes [off, off+len) (page aligned): *w
     * receives a pointer through which those bytes are written. The mapping behind
     * *w must never be executable. */
    int (*write_begin)(void *state, struct hy_os_region *r, size_t off, size_t len,
                       uint64_t (*rnd)(void *), void *rctx, void **w, char *err,
                       size_t errcap);
    /* Close it: after this no writable alias of those bytes exists. */
    int (*write_end)(void *state, struct hy_os_region *r, void *w, size_t off,
                     size_t len, char *err, size_t errcap);
    /* Make [x, x+len) safe to execute on every core: icache flush + cross-core sync.
     * Returns 0; a sync the OS refused is reported by sync_status, not as failure. */
    int (*flush)(void *state, uintptr_t x, size_t len);
    /* Human-readable state of the cross-core sync ("membarrier SYNC_CORE",
     * "unavailable: ..."). */
    const char *(*sync_status)(void *state);
    size_t (*page_size)(void *state);
};

/* The built-in ops for this OS (Linux: memfd dual map; macOS: MAP_JIT). NULL when
 * the OS has none. */
const struct hy_os_ops *hy_os_ops_default(void);

/* Verifier: return 0 to accept, anything else to refuse. `bytes` is readable for
 * len bytes; `xaddr` is the address the first byte executes at. */
typedef int (*hy_code_verify_fn)(void *ud, const uint8_t *bytes, size_t len,
                                 uintptr_t xaddr);

struct hy_codemem_config {
    const uint8_t *trap;      /* required: trap pattern, 1..16 bytes (x86-64: {0xCC};
                                 ARM64: BRK word little-endian) */
    size_t trap_len;
    size_t align;             /* start alignment of every reservation, power of two,
                                 multiple of trap_len; 0 = 16 */
    size_t region_size;       /* bytes per region; 0 = 256 KiB (rounded to pages) */
    size_t limit;             /* total region bytes allowed; 0 = 64 MiB */
    size_t max_pad;           /* max random pad before each reservation, bytes;
                                 0 = 256; (size_t)-1 = none. Best effort: shortened
                                 when only a shorter gap holds the reservation. */
    uint64_t seed;            /* 0 = OS randomness; else deterministic offsets/hints */
    unsigned fail_after;      /* >0: the first fail_after reservations work, every
                                 later one fails with HY_CM_EINJECTED (LuaJIT's
                                 MCODE_TEST idea). When 0, env HY_CODEMEM_FAIL_AFTER
                                 is read instead. */
    int perf_map;             /* 1: append "START SIZE name" to /tmp/perf-PID.map on
                                 each commit. Env HY_PERF_MAP=1 also turns it on. */
    const struct hy_os_ops *ops; /* NULL = hy_os_ops_default() */
};

struct hy_codemem;

/* Returns NULL only when out of host memory; otherwise check hy_codemem_errmsg()
 * for a configuration/OS error (the context then refuses every reservation). */
struct hy_codemem *hy_codemem_new(const struct hy_codemem_config *cfg);
void hy_codemem_free(struct hy_codemem *cm); /* unmaps everything; NULL is fine */
const char *hy_codemem_errmsg(const struct hy_codemem *cm); /* "" when none */
int hy_codemem_errcode(const struct hy_codemem *cm);
void hy_codemem_clear_error(struct hy_codemem *cm);
const char *hy_codemem_sync_status(const struct hy_codemem *cm);

struct hy_codemem_stats {
    size_t regions, region_bytes, live_blocks, live_bytes, open_txns;
    uint64_t reserves, commits, aborts, patches, releases, verify_refusals;
};
void hy_codemem_stats(const struct hy_codemem *cm, struct hy_codemem_stats *st);

struct hy_code_txn {
    uint8_t *w;        /* out: writable view of the reservation (never executable) */
    uintptr_t x;       /* out: executable address of w[0] */
    size_t size;       /* out: bytes reserved (>= requested) */
    const char *name;  /* in, optional: symbol name for the perf map */
    void *priv;        /* private */
};

int hy_code_reserve(struct hy_codemem *cm, size_t size, struct hy_code_txn *t);
int hy_code_commit(struct hy_codemem *cm, struct hy_code_txn *t, size_t used,
                   hy_code_verify_fn verify, void *ud, void **entry);
void hy_code_abort(struct hy_codemem *cm, struct hy_code_txn *t);
int hy_code_patch(struct hy_codemem *cm, void *xaddr, const uint8_t *bytes, size_t len,
                  hy_code_verify_fn verify, void *ud);
/* Frees a committed block (entry as returned by commit); the bytes become traps.
 * The caller guarantees no thread can still be executing it. */
int hy_code_release(struct hy_codemem *cm, void *entry);
/* The committed block containing xaddr: start and length; HY_CM_EINVAL if none. */
int hy_code_lookup(struct hy_codemem *cm, const void *xaddr, uintptr_t *start,
                   size_t *len);

/* Perf map writer (used by the context when enabled; usable on its own). */
struct hy_perfmap;
struct hy_perfmap *hy_perfmap_open(void);            /* NULL on failure */
void hy_perfmap_add(struct hy_perfmap *pm, uintptr_t start, size_t size,
                    const char *name);
void hy_perfmap_close(struct hy_perfmap *pm);

#ifdef __cplusplus
}
#endif
#endif
