/*
 * Benchmark harness for libotr (Debian libotr5-dev, libotr 4.1): the reference
 * the sotto benchmarks compare against. Two OtrlUserStates live in one process;
 * inject_message puts each outgoing message on a queue and the queue delivers it
 * straight to the other side's otrl_message_receiving. Prints one JSON line per
 * workload: {"impl":"libotr","workload",...,"median","unit","runs"}.
 *
 * Usage: harness [--quick] [--sessions N] [--workloads a,b,c] [--messages-scale F]
 *                [--runs-scale F] [--keygen-runs N]
 * Workloads and units follow bench/README.md (the same for every implementation).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/instag.h>
#include <libotr/message.h>
#include <libotr/privkey.h>
#include <libotr/userstate.h>

#define PROTO "bench"
#define POLICY (OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3)

/* ---- helpers ---------------------------------------------------------- */

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "libotr harness: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Resident set size of this process in KiB, from /proc/self/status. */
static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

/* ---- the two sides and the delivery queue ------------------------------ */

typedef struct Side {
    const char *account;   /* our account name */
    const char *alias;     /* the name the other side knows us by */
    OtrlUserState us;
    struct Side *other;
    int secure;            /* gone_secure seen since last reset */
    int smp_success;       /* OTRL_SMPEVENT_SUCCESS seen */
    int smp_failed;
    ConnContext *smp_ask;  /* context on which the peer asked for our secret */
    char *shown;           /* last plaintext shown to the user */
} Side;

typedef struct {
    Side *to;
    char *from;
    char *text;
} Item;

static Item *queue;
static size_t q_head, q_len, q_cap;

static void enqueue(Side *to, const char *from, const char *text) {
    if (q_len == q_cap) {
        size_t ncap = q_cap ? q_cap * 2 : 64;
        Item *n = malloc(ncap * sizeof *n);
        if (!n) die("out of memory");
        for (size_t i = 0; i < q_len; i++) n[i] = queue[(q_head + i) % q_cap];
        free(queue);
        queue = n;
        q_head = 0;
        q_cap = ncap;
    }
    Item *it = &queue[(q_head + q_len) % q_cap];
    it->to = to;
    it->from = strdup(from);
    it->text = strdup(text);
    if (!it->from || !it->text) die("out of memory");
    q_len++;
}

static Side alice = {"alice", "alice", NULL, NULL, 0, 0, 0, NULL, NULL};
static Side bob = {"bob", "bob", NULL, NULL, 0, 0, 0, NULL, NULL};
static OtrlMessageAppOps ops;

/* Deliver one received text to `side` as libotr's receiving path would. */
static void receive(Side *side, const char *from, const char *text) {
    char *newmsg = NULL;
    OtrlTLV *tlvs = NULL;
    otrl_message_receiving(side->us, &ops, side, side->account, PROTO, from, text, &newmsg, &tlvs,
                           NULL, NULL, NULL);
    if (tlvs) otrl_tlv_free(tlvs);
    free(side->shown);
    side->shown = NULL;
    if (newmsg) {
        side->shown = strdup(newmsg);
        otrl_message_free(newmsg);
    }
    /* The SMP answer is a user decision: give it after the call returns. */
    if (side->smp_ask) {
        ConnContext *ctx = side->smp_ask;
        side->smp_ask = NULL;
        otrl_message_respond_smp(side->us, &ops, side, ctx, (const unsigned char *)"shared secret", 13);
    }
}

static void drain(void) {
    while (q_len) {
        Item it = queue[q_head];
        q_head = (q_head + 1) % q_cap;
        q_len--;
        receive(it.to, it.from, it.text);
        free(it.from);
        free(it.text);
    }
}

/* ---- callbacks ---------------------------------------------------------- */

static OtrlPolicy cb_policy(void *opdata, ConnContext *context) {
    (void)opdata; (void)context;
    return POLICY;
}
static void cb_create_privkey(void *opdata, const char *accountname, const char *protocol) {
    (void)opdata; (void)protocol;
    die("no private key for %s", accountname);
}
static int cb_is_logged_in(void *opdata, const char *a, const char *p, const char *r) {
    (void)opdata; (void)a; (void)p; (void)r;
    return 1;
}
static void cb_inject(void *opdata, const char *accountname, const char *protocol,
                      const char *recipient, const char *message) {
    Side *from = opdata;
    (void)protocol; (void)recipient; (void)accountname;
    enqueue(from->other, from->alias, message);
}
static void cb_update_context_list(void *opdata) { (void)opdata; }
static void cb_new_fingerprint(void *opdata, OtrlUserState us, const char *a, const char *p,
                               const char *u, unsigned char fp[20]) {
    (void)opdata; (void)us; (void)a; (void)p; (void)u; (void)fp;
}
static void cb_write_fingerprints(void *opdata) { (void)opdata; }
static void cb_gone_secure(void *opdata, ConnContext *context) {
    (void)context;
    ((Side *)opdata)->secure = 1;
}
static void cb_gone_insecure(void *opdata, ConnContext *context) { (void)opdata; (void)context; }
static void cb_still_secure(void *opdata, ConnContext *context, int is_reply) {
    (void)context; (void)is_reply;
    ((Side *)opdata)->secure = 1;
}
static void cb_handle_smp_event(void *opdata, OtrlSMPEvent event, ConnContext *context,
                                unsigned short progress, char *question) {
    Side *side = opdata;
    (void)progress; (void)question;
    switch (event) {
    case OTRL_SMPEVENT_ASK_FOR_SECRET:
    case OTRL_SMPEVENT_ASK_FOR_ANSWER:
        side->smp_ask = context;
        break;
    case OTRL_SMPEVENT_SUCCESS:
        side->smp_success = 1;
        break;
    case OTRL_SMPEVENT_FAILURE:
    case OTRL_SMPEVENT_CHEATED:
    case OTRL_SMPEVENT_ERROR:
    case OTRL_SMPEVENT_ABORT:
        side->smp_failed = 1;
        break;
    default:
        break;
    }
}
static void cb_handle_msg_event(void *opdata, OtrlMessageEvent event, ConnContext *context,
                                const char *message, gcry_error_t err) {
    (void)opdata; (void)context; (void)message; (void)err;
    switch (event) {
    case OTRL_MSGEVENT_LOG_HEARTBEAT_RCVD:
    case OTRL_MSGEVENT_LOG_HEARTBEAT_SENT:
    case OTRL_MSGEVENT_RCVDMSG_UNENCRYPTED:
        break;
    default:
        die("unexpected message event %d", (int)event);
    }
}

static void setup_ops(void) {
    memset(&ops, 0, sizeof ops);
    ops.policy = cb_policy;
    ops.create_privkey = cb_create_privkey;
    ops.is_logged_in = cb_is_logged_in;
    ops.inject_message = cb_inject;
    ops.update_context_list = cb_update_context_list;
    ops.new_fingerprint = cb_new_fingerprint;
    ops.write_fingerprints = cb_write_fingerprints;
    ops.gone_secure = cb_gone_secure;
    ops.gone_insecure = cb_gone_insecure;
    ops.still_secure = cb_still_secure;
    ops.handle_smp_event = cb_handle_smp_event;
    ops.handle_msg_event = cb_handle_msg_event;
}

/* ---- setup ------------------------------------------------------------ */

static char tmpdir[] = "/tmp/sotto-bench-libotr-XXXXXX";

static void path_in_tmp(char *buf, size_t n, const char *name) {
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

static void setup_side(Side *side) {
    char keyf[256], instf[256];
    side->us = otrl_userstate_create();
    path_in_tmp(keyf, sizeof keyf, side->account);
    path_in_tmp(instf, sizeof instf, "instags");
    if (otrl_privkey_generate(side->us, keyf, side->account, PROTO)) die("key generation failed");
    if (otrl_instag_generate(side->us, instf, side->account, PROTO)) die("instance tag failed");
}

static void reset_contexts(void) {
    otrl_context_forget_all(alice.us);
    otrl_context_forget_all(bob.us);
    alice.secure = bob.secure = 0;
}

/* Alice sends a query message; the queue runs the AKE to the end. */
static void run_ake(void) {
    char *query = otrl_proto_default_query_msg(alice.account, POLICY);
    alice.secure = bob.secure = 0;
    enqueue(&bob, alice.alias, query);
    free(query);
    drain();
    if (!alice.secure || !bob.secure) die("AKE did not complete");
}

static ConnContext *context_of(Side *side) {
    ConnContext *ctx = otrl_context_find(side->us, side->other->alias, side->account, PROTO,
                                         OTRL_INSTAG_BEST, 0, NULL, NULL, NULL);
    if (!ctx || ctx->msgstate != OTRL_MSGSTATE_ENCRYPTED) die("no encrypted context");
    return ctx;
}

/* Encrypt `text` from `from` and deliver it; check the other side shows it. */
static void send_data(Side *from, const char *text) {
    char *out = NULL;
    gcry_error_t err = otrl_message_sending(from->us, &ops, from, from->account, PROTO,
                                            from->other->alias, OTRL_INSTAG_BEST, text, NULL, &out,
                                            OTRL_FRAGMENT_SEND_SKIP, NULL, NULL, NULL);
    if (err || !out || strncmp(out, "?OTR:", 5) != 0) die("encryption failed");
    enqueue(from->other, from->alias, out);
    otrl_message_free(out);
    drain();
    if (!from->other->shown || strcmp(from->other->shown, text) != 0) die("message not shown intact");
}

/* ---- workloads -------------------------------------------------------- */

static void emit(const char *workload, double med, const char *unit, int runs, const char *extra) {
    printf("{\"impl\":\"libotr\",\"workload\":\"%s\",\"median\":%.6g,\"unit\":\"%s\",\"runs\":%d%s}\n",
           workload, med, unit, runs, extra ? extra : "");
    fflush(stdout);
}

static void bench_keygen(int runs) {
    OtrlUserState us = otrl_userstate_create();
    char keyf[256];
    double *t = calloc((size_t)runs, sizeof *t);
    path_in_tmp(keyf, sizeof keyf, "keygen");
    /* warm-up */
    if (otrl_privkey_generate(us, keyf, "keygen", PROTO)) die("keygen failed");
    for (int i = 0; i < runs; i++) {
        double t0 = now_ms();
        if (otrl_privkey_generate(us, keyf, "keygen", PROTO)) die("keygen failed");
        t[i] = now_ms() - t0;
    }
    emit("keygen", median(t, runs), "ms", runs, NULL);
    otrl_userstate_free(us);
    free(t);
}

static void bench_ake(int runs) {
    double *t = calloc((size_t)runs, sizeof *t);
    for (int i = -10; i < runs; i++) { /* ten warm-up rounds */
        reset_contexts();
        double t0 = now_ms();
        run_ake();
        double dt = now_ms() - t0;
        if (i >= 0) t[i] = dt;
    }
    emit("ake", median(t, runs), "ms", runs, NULL);
    free(t);
}

static void bench_smp(int runs) {
    double *t = calloc((size_t)runs, sizeof *t);
    reset_contexts();
    run_ake();
    for (int i = -3; i < runs; i++) { /* three warm-up rounds */
        alice.smp_success = bob.smp_success = alice.smp_failed = bob.smp_failed = 0;
        double t0 = now_ms();
        otrl_message_initiate_smp(alice.us, &ops, &alice, context_of(&alice),
                                  (const unsigned char *)"shared secret", 13);
        drain();
        double dt = now_ms() - t0;
        if (!alice.smp_success || !bob.smp_success || alice.smp_failed || bob.smp_failed)
            die("SMP did not succeed");
        if (i >= 0) t[i] = dt;
    }
    emit("smp", median(t, runs), "ms", runs, NULL);
    free(t);
}

static char *make_text(size_t n) {
    char *s = malloc(n + 1);
    if (!s) die("out of memory");
    for (size_t i = 0; i < n; i++) s[i] = (char)('a' + i % 26);
    s[n] = '\0';
    return s;
}

static void bench_alternating(int runs, int messages) {
    double *r = calloc((size_t)runs, sizeof *r);
    char *text = make_text(100);
    reset_contexts();
    run_ake();
    for (int i = 0; i < 200; i++) send_data(i % 2 ? &bob : &alice, text); /* warm-up */
    for (int k = 0; k < runs; k++) {
        double t0 = now_ms();
        for (int i = 0; i < messages; i++) send_data(i % 2 ? &bob : &alice, text);
        r[k] = messages / ((now_ms() - t0) / 1e3);
    }
    char extra[64];
    snprintf(extra, sizeof extra, ",\"messages\":%d", messages);
    emit("data_100B_alternating", median(r, runs), "msg/s", runs, extra);
    free(text);
    free(r);
}

static void bench_oneway(int runs, int messages) {
    const size_t size = 10240;
    double *r = calloc((size_t)runs, sizeof *r);
    char *text = make_text(size);
    reset_contexts();
    run_ake();
    for (int i = 0; i < 20; i++) send_data(&alice, text); /* warm-up */
    for (int k = 0; k < runs; k++) {
        double t0 = now_ms();
        for (int i = 0; i < messages; i++) send_data(&alice, text);
        r[k] = messages / ((now_ms() - t0) / 1e3);
    }
    double med = median(r, runs);
    char extra[96];
    snprintf(extra, sizeof extra, ",\"messages\":%d,\"MB_per_s\":%.6g", messages, med * size / 1e6);
    emit("data_10KiB_oneway", med, "msg/s", runs, extra);
    free(text);
    free(r);
}

/* Alice holds `sessions` established sessions with peers bob0, bob1, ...; Bob's
 * side of each is forgotten after its AKE, so only Alice's sessions stay. */
static void bench_memory(int sessions) {
    char name[32];
    reset_contexts();
    run_ake(); /* warm-up, forgotten before measuring */
    reset_contexts();
    long before = rss_kib();
    for (int i = 0; i < sessions; i++) {
        snprintf(name, sizeof name, "bob%d", i);
        /* Bob keeps his account but Alice knows him by a new name each time. */
        bob.alias = name;
        run_ake();
        bob.alias = bob.account;
        otrl_context_forget_all(bob.us);
    }
    long after = rss_kib();
    double per = (double)(after - before) / sessions;
    char extra[96];
    snprintf(extra, sizeof extra, ",\"sessions\":%d,\"rss_growth_kib\":%ld", sessions, after - before);
    emit("session_memory", per, "KiB/session", 1, extra);
}

/* True when `name` is one of the comma-separated names in `list` (NULL = all). */
static int wanted(const char *list, const char *name) {
    size_t n = strlen(name);
    if (!list) return 1;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) return 1;
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

static int quick = 0;
static double messages_scale = 1.0, runs_scale = 1.0;

static int runs_of(int full) {
    int n = (int)(full * runs_scale + 0.5);
    return quick ? 1 : (n < 1 ? 1 : n);
}

static int messages_of(int full, int quick_count) {
    int n = (int)((quick ? quick_count : full) * messages_scale + 0.5);
    return n < 10 ? 10 : n;
}

int main(int argc, char **argv) {
    int sessions = -1, keygen_runs = -1;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) quick = 1;
        else if (!strcmp(argv[i], "--sessions") && i + 1 < argc) sessions = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--workloads") && i + 1 < argc) only = argv[++i];
        else if (!strcmp(argv[i], "--messages-scale") && i + 1 < argc) messages_scale = atof(argv[++i]);
        else if (!strcmp(argv[i], "--runs-scale") && i + 1 < argc) runs_scale = atof(argv[++i]);
        else if (!strcmp(argv[i], "--keygen-runs") && i + 1 < argc) keygen_runs = atoi(argv[++i]);
        else die("unknown argument %s", argv[i]);
    }
    if (sessions < 0) sessions = quick ? 200 : 10000;

    OTRL_INIT;
    if (!mkdtemp(tmpdir)) die("mkdtemp: %s", strerror(errno));
    setup_ops();
    alice.other = &bob;
    bob.other = &alice;
    setup_side(&alice);
    setup_side(&bob);

#define WANT(w) wanted(only, w)
    if (WANT("keygen")) bench_keygen(quick ? 1 : keygen_runs > 0 ? keygen_runs : runs_of(100));
    if (WANT("ake")) bench_ake(quick ? 1 : (runs_of(30) < 20 ? 20 : runs_of(30)));
    if (WANT("smp")) bench_smp(runs_of(20));
    if (WANT("data_100B_alternating")) bench_alternating(runs_of(5), messages_of(10000, 1000));
    if (WANT("data_10KiB_oneway")) bench_oneway(runs_of(5), messages_of(1000, 100));
    if (WANT("session_memory")) bench_memory(sessions);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "libotr harness: could not remove %s\n", tmpdir);
    return 0;
}
