/* os/codemem.c — portable part of the code memory: regions, free extents, random
 * offsets, trap fill, transactions, verification, patching, release.
 * The pages themselves come from a struct hy_os_ops (codemem_linux.c,
 * codemem_apple.c or the embedder's). See codemem.h for the protocol. */
#include "os/codemem.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CM_TXN_MAGIC 0x68797478u /* "hytx" */
#define CM_DEFAULT_REGION (256u * 1024u)
#define CM_DEFAULT_LIMIT ((size_t)64 * 1024 * 1024)
#define CM_DEFAULT_ALIGN 16u
#define CM_DEFAULT_PAD 256u

struct cm_extent {
    size_t off, len;
};

struct cm_region {
    struct hy_os_region os;
    struct cm_extent *free; /* sorted by off, never adjacent (merged) */
    size_t nfree, capfree;
};

/* A committed block: [x, x+len) executes; the span [span_off, span_off+span_len)
 * of region `reg` (random pad + code rounded to align) is what release frees. */
struct cm_block {
    uintptr_t x;
    size_t len;
    size_t reg, span_off, span_len;
};

/* An open transaction (t->priv). */
struct cm_txn {
    unsigned magic;
    size_t reg, span_off, span_len; /* span = pad + data */
    size_t data_off, data_len;      /* region offsets of t->w[0 .. data_len) */
    size_t woff, wlen;              /* the write window (page aligned) */
    void *wbase;
    struct cm_txn *prev, *next;
};

struct hy_codemem {
    pthread_mutex_t mu;
    const struct hy_os_ops *ops;
    void *os;
    uint8_t trap[16];
    size_t trap_len, align, region_size, limit, max_pad, page;
    unsigned fail_after;
    uint64_t rng[4];
    pid_t pid;
    int broken; /* construction failed: every reservation refuses */
    int err;
    char errmsg[320];

    struct cm_region *regions;
    size_t nregions, capregions, region_bytes;
    struct cm_block *blocks; /* sorted by x */
    size_t nblocks, capblocks, live_bytes;
    struct cm_txn *open; /* list of open transactions */
    size_t nopen;
    struct hy_perfmap *pm;
    uint64_t n_reserve, n_commit, n_abort, n_patch, n_release, n_refused;
};

/* ---------------------------------------------------------------- helpers */

static void set_err(struct hy_codemem *cm, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(struct hy_codemem *cm, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cm->errmsg, sizeof cm->errmsg, fmt, ap);
    va_end(ap);
    cm->err = code;
}

/* Copy an ops error (already formatted into buf) with a prefix. */
static int os_err(struct hy_codemem *cm, int code, const char *what, const char *buf) {
    set_err(cm, code ? code : HY_CM_EMAP, "code memory: %s: %s", what,
            buf[0] ? buf : "failed");
    return cm->err;
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256** — placement offsets and hints; seeded from the OS or cfg->seed. */
static uint64_t cm_rand(void *ctx) {
    struct hy_codemem *cm = ctx;
    uint64_t *s = cm->rng;
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t round_up(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }
static size_t round_down(size_t v, size_t a) { return v & ~(a - 1); }
static int is_pow2(size_t v) { return v && !(v & (v - 1)); }

/* Fill dst (region offset `off`) with the trap pattern, phase-aligned to the
 * region base so that every trap word sits on its natural boundary. */
static void trap_fill(const struct hy_codemem *cm, uint8_t *dst, size_t off, size_t n) {
    if (cm->trap_len == 1) {
        memset(dst, cm->trap[0], n);
        return;
    }
    for (size_t i = 0; i < n; i++) dst[i] = cm->trap[(off + i) % cm->trap_len];
}

static int check_pid(struct hy_codemem *cm) {
    if (getpid() != cm->pid) {
        set_err(cm, HY_CM_EFORK,
                "code memory: context used in a forked child (created by pid %ld); "
                "create a new context in the child",
                (long)cm->pid);
        return HY_CM_EFORK;
    }
    return 0;
}

/* Open a write window over region bytes [off, off+len) (any alignment); returns
 * the pointer for byte `off`. */
static int window_open(struct hy_codemem *cm, size_t reg, size_t off, size_t len,
                       size_t *woff, size_t *wlen, void **wbase, uint8_t **w) {
    char buf[200] = "";
    struct cm_region *r = &cm->regions[reg];
    *woff = round_down(off, cm->page);
    *wlen = round_up(off + len, cm->page) - *woff;
    int rc = cm->ops->write_begin(cm->os, &r->os, *woff, *wlen, cm_rand, cm, wbase, buf,
                                  sizeof buf);
    if (rc) return os_err(cm, rc, "cannot open a write window", buf);
    *w = (uint8_t *)*wbase + (off - *woff);
    return 0;
}

static int window_close(struct hy_codemem *cm, size_t reg, void *wbase, size_t woff,
                        size_t wlen) {
    char buf[200] = "";
    int rc = cm->ops->write_end(cm->os, &cm->regions[reg].os, wbase, woff, wlen, buf,
                                sizeof buf);
    if (rc) return os_err(cm, rc, "cannot close a write window", buf);
    return 0;
}

/* Trap-fill region bytes [off, off+len) through a fresh window. */
static int fill_range(struct hy_codemem *cm, size_t reg, size_t off, size_t len) {
    size_t woff, wlen;
    void *wbase;
    uint8_t *w;
    int rc = window_open(cm, reg, off, len, &woff, &wlen, &wbase, &w);
    if (rc) return rc;
    trap_fill(cm, w, off, len);
    return window_close(cm, reg, wbase, woff, wlen);
}

/* ---------------------------------------------------------------- extents */

static int extent_insert(struct cm_region *r, size_t i, size_t off, size_t len) {
    if (r->nfree == r->capfree) {
        size_t cap = r->capfree ? r->capfree * 2 : 8;
        struct cm_extent *e = realloc(r->free, cap * sizeof *e);
        if (!e) return -1;
        r->free = e;
        r->capfree = cap;
    }
    memmove(r->free + i + 1, r->free + i, (r->nfree - i) * sizeof *r->free);
    r->free[i].off = off;
    r->free[i].len = len;
    r->nfree++;
    return 0;
}

static void extent_remove(struct cm_region *r, size_t i) {
    memmove(r->free + i, r->free + i + 1, (r->nfree - i - 1) * sizeof *r->free);
    r->nfree--;
}

/* Return [off, off+len) to the free list, merging neighbours. */
static int extent_free(struct cm_region *r, size_t off, size_t len) {
    if (!len) return 0;
    size_t i = 0;
    while (i < r->nfree && r->free[i].off < off) i++;
    int left = i > 0 && r->free[i - 1].off + r->free[i - 1].len == off;
    int right = i < r->nfree && off + len == r->free[i].off;
    if (left && right) {
        r->free[i - 1].len += len + r->free[i].len;
        extent_remove(r, i);
    } else if (left) {
        r->free[i - 1].len += len;
    } else if (right) {
        r->free[i].off = off;
        r->free[i].len += len;
    } else {
        return extent_insert(r, i, off, len);
    }
    return 0;
}

/* First fit of *pad + len bytes; with `shrink`, an extent that holds len but not
 * the whole pad is taken with the pad cut to fit. Returns 0 and the offset of the
 * pad, or -1. */
static int extent_take(struct cm_region *r, size_t *pad, size_t len, int shrink,
                       size_t *off) {
    for (size_t i = 0; i < r->nfree; i++) {
        size_t have = r->free[i].len;
        if (have < len || (!shrink && have - len < *pad)) continue;
        if (have - len < *pad) *pad = have - len;
        size_t need = *pad + len;
        *off = r->free[i].off;
        r->free[i].off += need;
        r->free[i].len -= need;
        if (!r->free[i].len) extent_remove(r, i);
        return 0;
    }
    return -1;
}

/* ---------------------------------------------------------------- blocks */

static size_t block_find(const struct hy_codemem *cm, uintptr_t x) {
    size_t lo = 0, hi = cm->nblocks; /* first block with b.x > x, minus one */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cm->blocks[mid].x <= x) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return (size_t)-1;
    const struct cm_block *b = &cm->blocks[lo - 1];
    return x < b->x + b->len ? lo - 1 : (size_t)-1;
}

static int block_add(struct hy_codemem *cm, const struct cm_block *b) {
    if (cm->nblocks == cm->capblocks) {
        size_t cap = cm->capblocks ? cm->capblocks * 2 : 16;
        struct cm_block *nb = realloc(cm->blocks, cap * sizeof *nb);
        if (!nb) return -1;
        cm->blocks = nb;
        cm->capblocks = cap;
    }
    size_t i = cm->nblocks;
    while (i > 0 && cm->blocks[i - 1].x > b->x) i--;
    memmove(cm->blocks + i + 1, cm->blocks + i, (cm->nblocks - i) * sizeof *b);
    cm->blocks[i] = *b;
    cm->nblocks++;
    cm->live_bytes += b->len;
    return 0;
}

/* ---------------------------------------------------------------- regions */

/* Create a region big enough for `need` bytes after its random start offset. */
static int region_add(struct hy_codemem *cm, size_t need, size_t *reg_out) {
    char buf[200] = "";
    size_t start_max = cm->page < cm->region_size / 8 ? cm->page : cm->region_size / 8;
    size_t start = 0;
    if (start_max >= cm->align)
        start = (size_t)(cm_rand(cm) % (start_max / cm->align)) * cm->align;
    size_t size = round_up(start + need, cm->page);
    if (size < cm->region_size) size = cm->region_size;
    if (size > cm->limit || cm->region_bytes > cm->limit - size) {
        set_err(cm, HY_CM_EEXHAUSTED,
                "code memory exhausted: a new %zu-byte region would exceed the limit of "
                "%zu bytes (%zu bytes in %zu regions, %zu live blocks)",
                size, cm->limit, cm->region_bytes, cm->nregions, cm->nblocks);
        return HY_CM_EEXHAUSTED;
    }
    if (cm->nregions == cm->capregions) {
        size_t cap = cm->capregions ? cm->capregions * 2 : 4;
        struct cm_region *nr = realloc(cm->regions, cap * sizeof *nr);
        if (!nr) {
            set_err(cm, HY_CM_EMAP, "code memory: out of host memory for region table");
            return HY_CM_EMAP;
        }
        cm->regions = nr;
        cm->capregions = cap;
    }
    struct cm_region *r = &cm->regions[cm->nregions];
    memset(r, 0, sizeof *r);
    int rc = cm->ops->region_new(cm->os, size, cm_rand, cm, &r->os, buf, sizeof buf);
    if (rc) return os_err(cm, rc, "cannot map a code region", buf);
    size_t reg = cm->nregions++;
    cm->region_bytes += r->os.size;
    /* The whole region starts as traps: nothing but traps is ever reachable. */
    rc = fill_range(cm, reg, 0, r->os.size);
    size_t usable = round_down(r->os.size - start, cm->align);
    if (!rc && extent_insert(r, 0, start, usable)) {
        set_err(cm, HY_CM_EMAP, "code memory: out of host memory for free list");
        rc = HY_CM_EMAP;
    }
    if (rc) {
        /* Unusable region: keep it accounted but with no free space. */
        r->nfree = 0;
        return rc;
    }
    *reg_out = reg;
    return 0;
}

/* ---------------------------------------------------------------- context */

struct hy_codemem *hy_codemem_new(const struct hy_codemem_config *cfg) {
    struct hy_codemem *cm = calloc(1, sizeof *cm);
    if (!cm) return NULL;
    pthread_mutex_init(&cm->mu, NULL);
    cm->pid = getpid();
    cm->broken = 1;
    if (!cfg) {
        set_err(cm, HY_CM_EINVAL, "code memory: no configuration given");
        return cm;
    }
    cm->ops = cfg->ops ? cfg->ops : hy_os_ops_default();
    if (!cm->ops) {
        set_err(cm, HY_CM_EINVAL, "code memory: no platform layer for this OS");
        return cm;
    }
    if (!cfg->trap || cfg->trap_len == 0 || cfg->trap_len > sizeof cm->trap ||
        !is_pow2(cfg->trap_len)) {
        set_err(cm, HY_CM_EINVAL,
                "code memory: trap pattern must be 1, 2, 4, 8 or 16 bytes (got %zu)",
                cfg->trap ? cfg->trap_len : 0);
        return cm;
    }
    memcpy(cm->trap, cfg->trap, cfg->trap_len);
    cm->trap_len = cfg->trap_len;
    cm->align = cfg->align ? cfg->align : CM_DEFAULT_ALIGN;
    if (!is_pow2(cm->align) || cm->align < cm->trap_len || cm->align > 4096) {
        set_err(cm, HY_CM_EINVAL,
                "code memory: align %zu must be a power of two in [trap_len=%zu, 4096]",
                cm->align, cm->trap_len);
        return cm;
    }
    char buf[200] = "";
    if (cm->ops->init(&cm->os, buf, sizeof buf)) {
        os_err(cm, HY_CM_EMAP, "platform init failed", buf);
        cm->ops = NULL;
        return cm;
    }
    cm->page = cm->ops->page_size(cm->os);
    cm->region_size = round_up(cfg->region_size ? cfg->region_size : CM_DEFAULT_REGION,
                               cm->page);
    cm->limit = cfg->limit ? cfg->limit : CM_DEFAULT_LIMIT;
    cm->max_pad = cfg->max_pad == (size_t)-1 ? 0
                  : cfg->max_pad             ? round_down(cfg->max_pad, cm->align)
                                             : CM_DEFAULT_PAD;
    cm->fail_after = cfg->fail_after;
    if (!cm->fail_after) {
        const char *e = getenv("HY_CODEMEM_FAIL_AFTER");
        if (e && *e) cm->fail_after = (unsigned)strtoul(e, NULL, 10);
    }
    if (cfg->seed) {
        uint64_t x = cfg->seed;
        for (int i = 0; i < 4; i++) cm->rng[i] = splitmix(&x);
    } else if (cm->ops->random(cm->os, cm->rng, sizeof cm->rng, buf, sizeof buf)) {
        os_err(cm, HY_CM_EMAP, "no OS randomness for placement", buf);
        return cm;
    }
    if (!(cm->rng[0] | cm->rng[1] | cm->rng[2] | cm->rng[3])) cm->rng[0] = 1;
    const char *pe = getenv("HY_PERF_MAP");
    if (cfg->perf_map || (pe && pe[0] == '1')) cm->pm = hy_perfmap_open();
    cm->broken = 0;
    return cm;
}

void hy_codemem_free(struct hy_codemem *cm) {
    if (!cm) return;
    int same = getpid() == cm->pid;
    while (cm->open) {
        struct cm_txn *x = cm->open;
        cm->open = x->next;
        if (same) window_close(cm, x->reg, x->wbase, x->woff, x->wlen);
        free(x);
    }
    for (size_t i = 0; i < cm->nregions; i++) {
        if (same) cm->ops->region_free(cm->os, &cm->regions[i].os);
        free(cm->regions[i].free);
    }
    if (cm->ops && cm->ops->fini) cm->ops->fini(cm->os);
    hy_perfmap_close(cm->pm);
    free(cm->regions);
    free(cm->blocks);
    pthread_mutex_destroy(&cm->mu);
    free(cm);
}

const char *hy_codemem_errmsg(const struct hy_codemem *cm) {
    return cm ? cm->errmsg : "code memory: no context (out of host memory)";
}
int hy_codemem_errcode(const struct hy_codemem *cm) { return cm ? cm->err : HY_CM_EMAP; }
void hy_codemem_clear_error(struct hy_codemem *cm) {
    if (!cm || cm->broken) return; /* a construction error stays */
    pthread_mutex_lock(&cm->mu);
    cm->err = 0;
    cm->errmsg[0] = 0;
    pthread_mutex_unlock(&cm->mu);
}

const char *hy_codemem_sync_status(const struct hy_codemem *cm) {
    if (!cm || !cm->ops || !cm->ops->sync_status) return "unknown";
    return cm->ops->sync_status(cm->os);
}

void hy_codemem_stats(const struct hy_codemem *cm, struct hy_codemem_stats *st) {
    memset(st, 0, sizeof *st);
    if (!cm) return;
    pthread_mutex_lock((pthread_mutex_t *)&cm->mu);
    st->regions = cm->nregions;
    st->region_bytes = cm->region_bytes;
    st->live_blocks = cm->nblocks;
    st->live_bytes = cm->live_bytes;
    st->open_txns = cm->nopen;
    st->reserves = cm->n_reserve;
    st->commits = cm->n_commit;
    st->aborts = cm->n_abort;
    st->patches = cm->n_patch;
    st->releases = cm->n_release;
    st->verify_refusals = cm->n_refused;
    pthread_mutex_unlock((pthread_mutex_t *)&cm->mu);
}

/* ---------------------------------------------------------------- transactions */

static int reserve_locked(struct hy_codemem *cm, size_t size, struct hy_code_txn *t) {
    if (cm->broken) {
        return cm->err ? cm->err : HY_CM_EINVAL;
    }
    int rc = check_pid(cm);
    if (rc) return rc;
    if (size == 0 || size > cm->limit) {
        set_err(cm, HY_CM_EINVAL, "code memory: cannot reserve %zu bytes (limit %zu)",
                size, cm->limit);
        return HY_CM_EINVAL;
    }
    cm->n_reserve++;
    if (cm->fail_after && cm->n_reserve > cm->fail_after) {
        set_err(cm, HY_CM_EINJECTED,
                "code memory: allocation refused by fault injection (fail_after=%u, "
                "this is reservation %llu)",
                cm->fail_after, (unsigned long long)cm->n_reserve);
        return HY_CM_EINJECTED;
    }
    size_t data_len = round_up(size, cm->align);
    size_t pad = 0;
    if (cm->max_pad)
        pad = (size_t)(cm_rand(cm) % (cm->max_pad / cm->align + 1)) * cm->align;
    size_t reg = 0, off = 0;
    int found = 0;
    /* The pad is best effort: a full pad anywhere, else a shorter one, else a new
     * region (which always has room for the full pad). */
    for (int shrink = 0; shrink < 2 && !found; shrink++)
        for (size_t i = 0; i < cm->nregions && !found; i++)
            if (!extent_take(&cm->regions[i], &pad, data_len, shrink, &off))
                reg = i, found = 1;
    if (!found) {
        rc = region_add(cm, pad + data_len, &reg);
        if (rc) return rc;
        if (extent_take(&cm->regions[reg], &pad, data_len, 1, &off)) {
            set_err(cm, HY_CM_EEXHAUSTED, "code memory: new region too small for %zu bytes",
                    pad + data_len);
            return HY_CM_EEXHAUSTED;
        }
    }
    size_t need = pad + data_len;
    struct cm_txn *x = calloc(1, sizeof *x);
    if (!x) {
        extent_free(&cm->regions[reg], off, need);
        set_err(cm, HY_CM_EMAP, "code memory: out of host memory for a transaction");
        return HY_CM_EMAP;
    }
    x->magic = CM_TXN_MAGIC;
    x->reg = reg;
    x->span_off = off;
    x->span_len = need;
    x->data_off = off + pad;
    x->data_len = data_len;
    uint8_t *w;
    rc = window_open(cm, reg, x->data_off, data_len, &x->woff, &x->wlen, &x->wbase, &w);
    if (rc) {
        extent_free(&cm->regions[reg], off, need);
        free(x);
        return rc;
    }
    x->next = cm->open;
    if (cm->open) cm->open->prev = x;
    cm->open = x;
    cm->nopen++;
    t->w = w;
    t->x = cm->regions[reg].os.x + x->data_off;
    t->size = data_len;
    t->priv = x;
    return 0;
}

int hy_code_reserve(struct hy_codemem *cm, size_t size, struct hy_code_txn *t) {
    if (!cm || !t) return HY_CM_EINVAL;
    t->w = NULL;
    t->x = 0;
    t->size = 0;
    t->priv = NULL;
    pthread_mutex_lock(&cm->mu);
    int rc = reserve_locked(cm, size, t);
    pthread_mutex_unlock(&cm->mu);
    return rc;
}

static void txn_unlink(struct hy_codemem *cm, struct cm_txn *x) {
    if (x->prev) x->prev->next = x->next;
    else cm->open = x->next;
    if (x->next) x->next->prev = x->prev;
    cm->nopen--;
    x->magic = 0;
    free(x);
}

static struct cm_txn *txn_get(struct hy_codemem *cm, struct hy_code_txn *t) {
    struct cm_txn *x = t ? t->priv : NULL;
    for (struct cm_txn *o = cm->open; o; o = o->next)
        if (o == x && x->magic == CM_TXN_MAGIC) return x;
    return NULL;
}

void hy_code_abort(struct hy_codemem *cm, struct hy_code_txn *t) {
    if (!cm) return;
    pthread_mutex_lock(&cm->mu);
    struct cm_txn *x = txn_get(cm, t);
    if (x && !check_pid(cm)) {
        /* Whatever was written becomes traps before the window closes. */
        trap_fill(cm, t->w, x->data_off, x->data_len);
        window_close(cm, x->reg, x->wbase, x->woff, x->wlen);
        extent_free(&cm->regions[x->reg], x->span_off, x->span_len);
        txn_unlink(cm, x);
        cm->n_abort++;
    }
    if (t) {
        t->w = NULL;
        t->priv = NULL;
    }
    pthread_mutex_unlock(&cm->mu);
}

int hy_code_commit(struct hy_codemem *cm, struct hy_code_txn *t, size_t used,
                   hy_code_verify_fn verify, void *ud, void **entry) {
    if (!cm) return HY_CM_EINVAL;
    if (entry) *entry = NULL;
    pthread_mutex_lock(&cm->mu);
    struct cm_txn *x = txn_get(cm, t);
    int rc = check_pid(cm);
    if (rc) goto out;
    if (!x) {
        set_err(cm, HY_CM_EINVAL, "code memory: commit of a transaction that is not open");
        rc = HY_CM_EINVAL;
        goto out;
    }
    if (!verify || !entry || used == 0 || used > x->data_len) {
        set_err(cm, HY_CM_EINVAL,
                "code memory: bad commit (%s; used=%zu of %zu reserved); transaction "
                "aborted",
                !verify ? "no verifier" : !entry ? "no entry pointer" : "bad size", used,
                x->data_len);
        pthread_mutex_unlock(&cm->mu);
        hy_code_abort(cm, t);
        return HY_CM_EINVAL;
    }
    size_t reg = x->reg;
    uintptr_t xa = cm->regions[reg].os.x + x->data_off;
    /* Unused tail -> traps; then close the window: no writable alias is left. */
    trap_fill(cm, t->w + used, x->data_off + used, x->data_len - used);
    rc = window_close(cm, reg, x->wbase, x->woff, x->wlen);
    x->wbase = NULL;
    pthread_mutex_unlock(&cm->mu);
    /* Verify what will execute, read back through the executable view. The span
     * stays owned by this transaction, so no lock is needed here. */
    int vr = rc ? 0 : verify(ud, (const uint8_t *)xa, used, xa);
    pthread_mutex_lock(&cm->mu);
    if (rc || vr) {
        if (vr) {
            cm->n_refused++;
            set_err(cm, HY_CM_EVERIFY,
                    "code memory: verifier refused %zu bytes at %#lx (verifier code %d); "
                    "nothing was published",
                    used, (unsigned long)xa, vr);
            rc = HY_CM_EVERIFY;
        }
        /* Refused bytes must not stay around: refill with traps, free the span. */
        if (!fill_range(cm, reg, x->data_off, x->data_len))
            extent_free(&cm->regions[reg], x->span_off, x->span_len);
        txn_unlink(cm, x);
        cm->n_abort++;
        goto out;
    }
    cm->ops->flush(cm->os, xa, used);
    size_t kept = round_up(used, cm->align);
    struct cm_block b = {xa, used, reg, x->span_off, x->data_off - x->span_off + kept};
    if (block_add(cm, &b)) {
        set_err(cm, HY_CM_EMAP, "code memory: out of host memory for the block table");
        if (!fill_range(cm, reg, x->data_off, x->data_len))
            extent_free(&cm->regions[reg], x->span_off, x->span_len);
        txn_unlink(cm, x);
        rc = HY_CM_EMAP;
        goto out;
    }
    extent_free(&cm->regions[reg], x->data_off + kept, x->data_len - kept);
    txn_unlink(cm, x);
    cm->n_commit++;
    if (cm->pm) hy_perfmap_add(cm->pm, xa, used, t->name);
    *entry = (void *)xa;
out:
    if (t) {
        t->w = NULL;
        t->priv = NULL;
    }
    pthread_mutex_unlock(&cm->mu);
    return rc;
}

/* ---------------------------------------------------------------- patch, release */

int hy_code_patch(struct hy_codemem *cm, void *xaddr, const uint8_t *bytes, size_t len,
                  hy_code_verify_fn verify, void *ud) {
    if (!cm) return HY_CM_EINVAL;
    pthread_mutex_lock(&cm->mu);
    int rc = check_pid(cm);
    if (rc) goto out;
    uintptr_t pa = (uintptr_t)xaddr;
    size_t bi = block_find(cm, pa);
    if (!bytes || !verify || len == 0 || bi == (size_t)-1 ||
        len > cm->blocks[bi].x + cm->blocks[bi].len - pa) {
        set_err(cm, HY_CM_EINVAL,
                "code memory: patch of %zu bytes at %#lx refused: %s", len,
                (unsigned long)pa,
                !bytes || !verify || !len ? "no bytes, no verifier or zero length"
                                          : "range is not inside one committed block");
        rc = HY_CM_EINVAL;
        goto out;
    }
    struct cm_block b = cm->blocks[bi];
    size_t delta = pa - b.x;
    uint8_t *img = malloc(b.len);
    if (!img) {
        set_err(cm, HY_CM_EMAP, "code memory: out of host memory for a patch image");
        rc = HY_CM_EMAP;
        goto out;
    }
    /* Compose and verify the patched block privately: rejected bytes never reach
     * executable memory. */
    memcpy(img, (const void *)b.x, b.len);
    memcpy(img + delta, bytes, len);
    pthread_mutex_unlock(&cm->mu);
    int vr = verify(ud, img, b.len, b.x);
    pthread_mutex_lock(&cm->mu);
    if (vr) {
        cm->n_refused++;
        set_err(cm, HY_CM_EVERIFY,
                "code memory: verifier refused the patch of %zu bytes at %#lx (block "
                "%#lx+%zu, verifier code %d); code unchanged",
                len, (unsigned long)pa, (unsigned long)b.x, b.len, vr);
        rc = HY_CM_EVERIFY;
        free(img);
        goto out;
    }
    bi = block_find(cm, pa); /* the table may have moved while unlocked */
    if (bi == (size_t)-1 || cm->blocks[bi].x != b.x) {
        set_err(cm, HY_CM_EINVAL, "code memory: block %#lx was released during the patch",
                (unsigned long)b.x);
        rc = HY_CM_EINVAL;
        free(img);
        goto out;
    }
    size_t region_off = b.x - cm->regions[b.reg].os.x + delta, woff, wlen;
    void *wbase;
    uint8_t *w;
    rc = window_open(cm, b.reg, region_off, len, &woff, &wlen, &wbase, &w);
    if (!rc) {
        memcpy(w, img + delta, len);
        rc = window_close(cm, b.reg, wbase, woff, wlen);
    }
    if (!rc && memcmp((const void *)b.x, img, b.len) != 0) {
        set_err(cm, HY_CM_EVERIFY,
                "code memory: block %#lx differs from the verified image after the "
                "patch (concurrent write?)",
                (unsigned long)b.x);
        rc = HY_CM_EVERIFY;
    }
    free(img);
    cm->ops->flush(cm->os, pa, len);
    if (!rc) cm->n_patch++;
out:
    pthread_mutex_unlock(&cm->mu);
    return rc;
}

int hy_code_release(struct hy_codemem *cm, void *entry) {
    if (!cm) return HY_CM_EINVAL;
    pthread_mutex_lock(&cm->mu);
    int rc = check_pid(cm);
    if (rc) goto out;
    size_t bi = block_find(cm, (uintptr_t)entry);
    if (bi == (size_t)-1 || cm->blocks[bi].x != (uintptr_t)entry) {
        set_err(cm, HY_CM_EINVAL, "code memory: release of %p: not the entry of a live block",
                entry);
        rc = HY_CM_EINVAL;
        goto out;
    }
    struct cm_block b = cm->blocks[bi];
    rc = fill_range(cm, b.reg, b.span_off, b.span_len);
    if (rc) goto out; /* keep the block: its bytes could not be trapped */
    cm->ops->flush(cm->os, b.x, b.len);
    extent_free(&cm->regions[b.reg], b.span_off, b.span_len);
    memmove(cm->blocks + bi, cm->blocks + bi + 1, (cm->nblocks - bi - 1) * sizeof b);
    cm->nblocks--;
    cm->live_bytes -= b.len;
    cm->n_release++;
out:
    pthread_mutex_unlock(&cm->mu);
    return rc;
}

int hy_code_lookup(struct hy_codemem *cm, const void *xaddr, uintptr_t *start,
                   size_t *len) {
    if (!cm) return HY_CM_EINVAL;
    pthread_mutex_lock(&cm->mu);
    size_t bi = block_find(cm, (uintptr_t)xaddr);
    int rc = bi == (size_t)-1 ? HY_CM_EINVAL : 0;
    if (!rc) {
        if (start) *start = cm->blocks[bi].x;
        if (len) *len = cm->blocks[bi].len;
    }
    pthread_mutex_unlock(&cm->mu);
    return rc;
}

#if !defined(__linux__) && !defined(__APPLE__)
/* No built-in platform layer: embedders pass cfg->ops. */
const struct hy_os_ops *hy_os_ops_default(void) { return NULL; }
#endif
