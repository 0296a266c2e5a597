/*
 * TPC-H lineitem generator (our implementation of the distributions of TPC-H spec 4.2.3).
 *
 * Orders o = 1 .. 1,500,000*SF get sparse keys (8 of every 32 key values are used:
 * key = (o/8)*32 + o%8, so SF 1 ends at 6,000,000), an order date uniform in
 * [1992-01-01, 1998-12-31 - 151 days] and 1..7 line items. Per line item: partkey uniform in
 * [1, 200,000*SF]; suppkey = (partkey + i*(S/4 + (partkey-1)/S)) mod S + 1 with S =
 * 10,000*SF and i uniform in 0..3; quantity 1..50; extendedprice = quantity * retailprice
 * with retailprice = (90000 + (partkey/10) mod 20001 + 100*(partkey mod 1000)) / 100;
 * discount 0.00..0.10; tax 0.00..0.08; shipdate = orderdate + 1..121; commitdate =
 * orderdate + 30..90; receiptdate = shipdate + 1..30; returnflag R/A at random if
 * receiptdate <= 1995-06-17 else N; linestatus O if shipdate > 1995-06-17 else F;
 * shipinstruct / shipmode uniform over the spec's lists; comment: a substring of length
 * 10..43 at a random offset of a text pool built from a small grammar over our own word
 * lists (the spec uses a 300 MB pool; ours is 2 MB, so comments are not all distinct).
 *
 * Randomness is counter based: every value is mix(stream, order or line index), with a
 * splitmix64-style finalizer, so the output depends only on sf (never on batch sizes or
 * threads) and any range of orders could be generated independently.
 *
 * Strings are not copied per row: the flag/instruction/mode values and the comment pool live
 * once in the table's string heap and rows reference them (HY_APPEND_BORROW_STRINGS).
 */
#include "tpch/dbgen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ORDERS_PER_SF 1500000.0
#define PARTS_PER_SF 200000.0
#define SUPPS_PER_SF 10000.0
#define DBGEN_BATCH 32768
#define POOL_BYTES (2u << 20)

/* Column ids, in spec order. */
enum {
    L_ORDERKEY, L_PARTKEY, L_SUPPKEY, L_LINENUMBER, L_QUANTITY, L_EXTENDEDPRICE, L_DISCOUNT,
    L_TAX, L_RETURNFLAG, L_LINESTATUS, L_SHIPDATE, L_COMMITDATE, L_RECEIPTDATE,
    L_SHIPINSTRUCT, L_SHIPMODE, L_COMMENT, L_NCOLS
};

/* Independent random streams. */
enum {
    S_ODATE = 1, S_LCOUNT, S_PART, S_SUPP, S_QTY, S_DISC, S_TAX, S_SHIP, S_COMMIT, S_RECEIPT,
    S_RFLAG, S_INSTRUCT, S_MODE, S_CMNT_OFF, S_CMNT_LEN, S_POOL
};

static inline uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rnd(int stream, uint64_t counter) {
    return mix64(counter * 0x9e3779b97f4a7c15ULL + (uint64_t)stream * 0xd1b54a32d192ed03ULL +
                 0x2545f4914f6cdd1dULL);
}

/* Uniform integer in [lo, hi]. */
static inline int64_t uni(int stream, uint64_t counter, int64_t lo, int64_t hi) {
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(((unsigned __int128)rnd(stream, counter) * span) >> 64);
}

static const char *const INSTRUCTS[] = {"DELIVER IN PERSON", "COLLECT COD", "NONE",
                                        "TAKE BACK RETURN"};
static const char *const MODES[] = {"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"};

/* ---- Comment text pool ---------------------------------------------------------------------- */

static const char *const NOUNS[] = {
    "accounts", "deposits", "requests", "packages", "instructions", "orders", "pinto beans",
    "theodolites", "platelets", "foxes", "ideas", "dependencies", "excuses", "asymptotes",
    "courts", "dolphins", "multipliers", "sauternes", "warthogs", "frets", "dinos", "attainments",
    "somas", "braids", "hockey players", "decoys", "realms", "pearls", "sheaves", "patterns",
    "escapades", "warhorses", "sentiments", "notornis", "gifts", "tithes", "waters"};
static const char *const VERBS[] = {
    "sleep", "wake", "are", "cajole", "haggle", "nag", "use", "boost", "affix", "detect",
    "integrate", "maintain", "nod", "was", "lose", "sublate", "solve", "thrash", "promise",
    "engage", "hinder", "print", "x-ray", "breach", "eat", "grow", "impress", "mold", "poach",
    "serve", "run", "dazzle", "snooze", "doze", "unwind", "kindle", "play", "hang", "believe"};
static const char *const ADJECTIVES[] = {
    "furious", "sly", "careful", "blithe", "quick", "fluffy", "slow", "quiet", "ruthless",
    "thin", "close", "dogged", "daring", "brave", "stealthy", "permanent", "enticing", "idle",
    "busy", "regular", "final", "ironic", "even", "bold", "silent", "pending", "special",
    "express", "unusual"};
static const char *const ADVERBS[] = {
    "sometimes", "always", "never", "furiously", "slyly", "carefully", "blithely", "quickly",
    "fluffily", "slowly", "quietly", "ruthlessly", "thinly", "closely", "doggedly", "daringly",
    "bravely", "stealthily", "permanently", "enticingly", "idly", "busily", "regularly",
    "finally", "ironically", "evenly", "boldly", "silently"};
static const char *const PREPOSITIONS[] = {
    "about", "above", "according to", "across", "after", "against", "along", "alongside of",
    "among", "around", "at", "atop", "before", "behind", "beneath", "beside", "besides",
    "between", "beyond", "by", "despite", "during", "except", "for", "from", "in place of",
    "inside", "instead of", "into", "near", "of", "on", "outside", "over", "past", "since",
    "through", "throughout", "to", "toward", "under", "until", "up", "upon", "without", "with",
    "within"};
static const char *const AUXILIARIES[] = {
    "do", "may", "might", "shall", "will", "would", "can", "could", "should", "ought to",
    "must", "will have to", "shall have to", "could have to", "should have to", "must have to",
    "need to", "try to"};
static const char *const TERMINATORS[] = {".", ";", ":", "?", "!", "--"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef struct pool_gen {
    char *p, *end;
    uint64_t ctr;
} pool_gen;

static void pool_word(pool_gen *g, const char *const *list, size_t n) {
    const char *w = list[uni(S_POOL, g->ctr++, 0, (int64_t)n - 1)];
    size_t k = strlen(w);
    if (g->p + k + 1 > g->end) k = (size_t)(g->end - g->p) > 0 ? (size_t)(g->end - g->p) - 1 : 0;
    memcpy(g->p, w, k);
    g->p += k;
    if (g->p < g->end) *g->p++ = ' ';
}
#define WORD(g, list) pool_word(g, list, NELEM(list))

/* sentence: noun phrase, verb phrase, optional prepositional phrase, terminator. */
static void pool_sentence(pool_gen *g) {
    switch (uni(S_POOL, g->ctr++, 0, 3)) {
    case 0: WORD(g, NOUNS); break;
    case 1: WORD(g, ADJECTIVES); WORD(g, NOUNS); break;
    case 2: WORD(g, ADJECTIVES); WORD(g, ADJECTIVES); WORD(g, NOUNS); break;
    default: WORD(g, ADVERBS); WORD(g, ADJECTIVES); WORD(g, NOUNS); break;
    }
    switch (uni(S_POOL, g->ctr++, 0, 2)) {
    case 0: WORD(g, VERBS); break;
    case 1: WORD(g, AUXILIARIES); WORD(g, VERBS); break;
    default: WORD(g, VERBS); WORD(g, ADVERBS); break;
    }
    if (uni(S_POOL, g->ctr++, 0, 1)) {
        WORD(g, PREPOSITIONS);
        WORD(g, ADJECTIVES);
        WORD(g, NOUNS);
    }
    if (g->p > g->end - 4) return;
    g->p[-1] = *TERMINATORS[uni(S_POOL, g->ctr++, 0, NELEM(TERMINATORS) - 1)];
    *g->p++ = ' ';
}

static void pool_fill(char *p, size_t n) {
    pool_gen g = {p, p + n, 0};
    while (g.end - g.p > 8) pool_sentence(&g);
    while (g.p < g.end) *g.p++ = ' ';
}

/* ---- Generator ------------------------------------------------------------------------------ */

typedef struct gen_batch {
    int64_t *orderkey, *partkey, *suppkey, *quantity, *price, *discount, *tax;
    int32_t *linenumber, *shipdate, *commitdate, *receiptdate;
    hy_str *rflag, *lstatus, *instruct, *mode, *comment;
} gen_batch;

hy_table *hy_dbgen_lineitem(double sf, int64_t morsel_rows, hy_dbgen_progress_fn progress,
                            void *ud, hy_error *err) {
    if (!(sf > 0) || !isfinite(sf) || sf > 1000) {
        hy_error_set(err, HY_E_RANGE, "dbgen: scale factor must be > 0 and <= 1000, got %g", sf);
        return NULL;
    }
    int64_t norders = llround(sf * ORDERS_PER_SF);
    int64_t nparts = llround(sf * PARTS_PER_SF);
    int64_t nsupps = llround(sf * SUPPS_PER_SF);
    if (norders < 1) norders = 1;
    if (nparts < 1) nparts = 1;
    if (nsupps < 1) nsupps = 1;

    const hy_ltype money = hy_lt_dec(15, 2);
    const hy_coldef defs[L_NCOLS] = {
        {"l_orderkey", {HY_TYPE_BIGINT, 0, 0}, true},
        {"l_partkey", {HY_TYPE_BIGINT, 0, 0}, true},
        {"l_suppkey", {HY_TYPE_BIGINT, 0, 0}, true},
        {"l_linenumber", {HY_TYPE_INTEGER, 0, 0}, true},
        {"l_quantity", money, true},
        {"l_extendedprice", money, true},
        {"l_discount", money, true},
        {"l_tax", money, true},
        {"l_returnflag", {HY_TYPE_VARCHAR, 0, 0}, true},
        {"l_linestatus", {HY_TYPE_VARCHAR, 0, 0}, true},
        {"l_shipdate", {HY_TYPE_DATE, 0, 0}, true},
        {"l_commitdate", {HY_TYPE_DATE, 0, 0}, true},
        {"l_receiptdate", {HY_TYPE_DATE, 0, 0}, true},
        {"l_shipinstruct", {HY_TYPE_VARCHAR, 0, 0}, true},
        {"l_shipmode", {HY_TYPE_VARCHAR, 0, 0}, true},
        {"l_comment", {HY_TYPE_VARCHAR, 0, 0}, true},
    };
    hy_table *t = hy_table_new("lineitem", L_NCOLS, defs, morsel_rows);
    if (!t) {
        hy_error_set(err, HY_E_NOMEM, "out of memory creating lineitem");
        return NULL;
    }
    /* expected 4 lines per order, standard deviation 2*sqrt(orders): rarely grows */
    int64_t expect = norders * 4 + 10 * (int64_t)(2 * sqrt((double)norders)) + 64;
    if (!hy_table_reserve(t, expect, err)) {
        hy_table_free(t);
        return NULL;
    }

    /* shared strings, once in the table heap */
    hy_str s_r = hy_strheap_add(&t->heap, "R", 1), s_a = hy_strheap_add(&t->heap, "A", 1);
    hy_str s_n = hy_strheap_add(&t->heap, "N", 1), s_o = hy_strheap_add(&t->heap, "O", 1);
    hy_str s_f = hy_strheap_add(&t->heap, "F", 1);
    hy_str s_instr[NELEM(INSTRUCTS)], s_mode[NELEM(MODES)];
    for (size_t i = 0; i < NELEM(INSTRUCTS); i++)
        s_instr[i] = hy_strheap_add(&t->heap, INSTRUCTS[i], strlen(INSTRUCTS[i]));
    for (size_t i = 0; i < NELEM(MODES); i++)
        s_mode[i] = hy_strheap_add(&t->heap, MODES[i], strlen(MODES[i]));
    char *pool = hy_strheap_reserve(&t->heap, POOL_BYTES);
    pool_fill(pool, POOL_BYTES);

    const int32_t start = hy_date_from_ymd(1992, 1, 1);
    const int32_t current = hy_date_from_ymd(1995, 6, 17);
    const int32_t end = hy_date_from_ymd(1998, 12, 31);

    /* one allocation for every batch column */
    const size_t B = DBGEN_BATCH;
    char *mem = malloc(B * (7 * 8 + 4 * 4 + 5 * sizeof(hy_str)));
    if (!mem) {
        hy_table_free(t);
        hy_error_set(err, HY_E_NOMEM, "out of memory in dbgen");
        return NULL;
    }
    gen_batch g;
    char *m = mem;
#define TAKE(field, T) (g.field = (T *)m, m += B * sizeof(T))
    TAKE(orderkey, int64_t); TAKE(partkey, int64_t); TAKE(suppkey, int64_t);
    TAKE(quantity, int64_t); TAKE(price, int64_t); TAKE(discount, int64_t); TAKE(tax, int64_t);
    TAKE(linenumber, int32_t); TAKE(shipdate, int32_t); TAKE(commitdate, int32_t);
    TAKE(receiptdate, int32_t);
    TAKE(rflag, hy_str); TAKE(instruct, hy_str); TAKE(mode, hy_str); TAKE(comment, hy_str);
    TAKE(lstatus, hy_str);
#undef TAKE
    hy_vec vecs[L_NCOLS];
    void *datas[L_NCOLS] = {g.orderkey, g.partkey, g.suppkey, g.linenumber, g.quantity,
                            g.price, g.discount, g.tax, g.rflag, g.lstatus, g.shipdate,
                            g.commitdate, g.receiptdate, g.instruct, g.mode, g.comment};
    for (int c = 0; c < L_NCOLS; c++) {
        vecs[c].type = defs[c].type;
        vecs[c].data = datas[c];
        vecs[c].validity = NULL;
    }

    double last_progress = 0;
    bool ok = true;
    int64_t o = 1;
    while (o <= norders && ok) {
        int64_t n = 0;
        for (; o <= norders && n + 7 <= (int64_t)B; o++) {
            uint64_t ou = (uint64_t)o;
            int64_t okey = ((o >> 3) << 5) | (o & 7);
            int32_t odate = (int32_t)uni(S_ODATE, ou, start, end - 151);
            int lines = (int)uni(S_LCOUNT, ou, 1, 7);
            for (int j = 0; j < lines; j++, n++) {
                uint64_t k = ou * 8 + (uint64_t)j;
                int64_t pk = uni(S_PART, k, 1, nparts);
                int64_t si = uni(S_SUPP, k, 0, 3);
                int64_t qty = uni(S_QTY, k, 1, 50);
                int64_t retail = 90000 + (pk / 10) % 20001 + 100 * (pk % 1000); /* cents */
                int32_t sd = odate + (int32_t)uni(S_SHIP, k, 1, 121);
                int32_t rd = sd + (int32_t)uni(S_RECEIPT, k, 1, 30);
                int64_t clen = uni(S_CMNT_LEN, k, 10, 43);
                int64_t coff = uni(S_CMNT_OFF, k, 0, (int64_t)POOL_BYTES - clen);
                g.orderkey[n] = okey;
                g.partkey[n] = pk;
                g.suppkey[n] = (pk + si * (nsupps / 4 + (pk - 1) / nsupps)) % nsupps + 1;
                g.linenumber[n] = j + 1;
                g.quantity[n] = qty * 100;
                g.price[n] = qty * retail;
                g.discount[n] = uni(S_DISC, k, 0, 10);
                g.tax[n] = uni(S_TAX, k, 0, 8);
                g.shipdate[n] = sd;
                g.commitdate[n] = odate + (int32_t)uni(S_COMMIT, k, 30, 90);
                g.receiptdate[n] = rd;
                g.rflag[n] = rd <= current ? (uni(S_RFLAG, k, 0, 1) ? s_r : s_a) : s_n;
                g.lstatus[n] = sd > current ? s_o : s_f;
                g.instruct[n] = s_instr[uni(S_INSTRUCT, k, 0, NELEM(INSTRUCTS) - 1)];
                g.mode[n] = s_mode[uni(S_MODE, k, 0, NELEM(MODES) - 1)];
                g.comment[n].ptr = pool + coff;
                g.comment[n].len = (uint32_t)clen;
            }
        }
        for (int c = 0; c < L_NCOLS; c++) vecs[c].n = n;
        ok = hy_table_append_ex(t, vecs, n, HY_APPEND_BORROW_STRINGS, err);
        if (ok && progress) {
            double done = (double)(o - 1) / (double)norders;
            if (done - last_progress >= 0.01 || o > norders) {
                progress(ud, done);
                last_progress = done;
            }
        }
    }
    free(mem);
    if (!ok) {
        hy_table_free(t);
        return NULL;
    }
    return t;
}
