/*
 * A driver-protocol peer (shared/interop/DRIVER.md) on libotr 4.1 (Debian
 * libotr5-dev), used as an independent reference in sotto's interop tests.
 * One process: a relay connection, JSON commands on stdin, JSON events on
 * stdout, libotr's own key, instance-tag and fingerprint files in the state
 * directory. Trust is libotr's per-fingerprint trust string, per username
 * (the peer's relay address).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libotr/proto.h>
#include <libotr/message.h>
#include <libotr/privkey.h>
#include <libotr/instag.h>
#include <libotr/userstate.h>

#include "json.h"

#define ACCOUNT "peer"
#define PROTOCOL "echo"

static OtrlUserState us;
static OtrlMessageAppOps ops;
static int relay_fd = -1;
static char my_address[64];
static OtrlPolicy policy = OTRL_POLICY_OPPORTUNISTIC;
static int max_size = 0;
static char keyfile[4096], fpfile[4096], instagfile[4096];
static unsigned int timer_interval = 0;
static time_t timer_due = 0;

/* ---- output ---- */

static void emit(Buf *b) {
    fputs(b->data, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    buf_free(b);
}

static void ev_begin(Buf *b, const char *name) { buf_add(b, "{\"event\":"); buf_add_json_string(b, name); }
static void ev_str(Buf *b, const char *key, const char *value) {
    buf_add(b, ",");
    buf_add_json_string(b, key);
    buf_add(b, ":");
    if (value) buf_add_json_string(b, value); else buf_add(b, "null");
}
static void ev_raw(Buf *b, const char *key, const char *raw) { buf_add(b, ","); buf_add_json_string(b, key); buf_add(b, ":"); buf_add(b, raw); }
static void ev_end(Buf *b) { buf_add(b, "}"); emit(b); }

static void simple_event(const char *name, const char *peerkey, const char *peer) {
    Buf b = {0}; ev_begin(&b, name); ev_str(&b, peerkey, peer); ev_end(&b);
}
static void error_event(const char *peer, const char *message) {
    Buf b = {0}; ev_begin(&b, "error"); ev_str(&b, "peer", peer); ev_str(&b, "message", message); ev_end(&b);
}

static void hex(const unsigned char *data, size_t len, char *out) {
    for (size_t i = 0; i < len; i++) sprintf(out + 2 * i, "%02x", data[i]);
    out[2 * len] = 0;
}

/* ---- relay ---- */

static void write_all(const unsigned char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(relay_fd, data, len);
        if (n < 0) { if (errno == EINTR) continue; perror("relay write"); exit(1); }
        data += n; len -= (size_t)n;
    }
}

static void relay_send(const char *to, const char *text) {
    uint32_t alen = htonl((uint32_t)strlen(to)), clen = htonl((uint32_t)strlen(text));
    write_all((unsigned char *)&alen, 4); write_all((const unsigned char *)to, strlen(to));
    write_all((unsigned char *)&clen, 4); write_all((const unsigned char *)text, strlen(text));
}

static int relay_connect(const char *host, int port, int local_port) {
    for (int attempt = 0; attempt < 50; attempt++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (local_port > 0) {
            struct sockaddr_in local = {0};
            local.sin_family = AF_INET;
            local.sin_port = htons((uint16_t)local_port);
            inet_pton(AF_INET, host, &local.sin_addr);
            if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0) { close(fd); usleep(200000); continue; }
        }
        struct sockaddr_in addr = {0};
        addr.sin_family = AF_INET;
        addr.sin_port = htons((uint16_t)port);
        inet_pton(AF_INET, host, &addr.sin_addr);
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
            struct sockaddr_in me; socklen_t len = sizeof me;
            getsockname(fd, (struct sockaddr *)&me, &len);
            char ip[32]; inet_ntop(AF_INET, &me.sin_addr, ip, sizeof ip);
            snprintf(my_address, sizeof my_address, "%s:%d", ip, ntohs(me.sin_port));
            return fd;
        }
        close(fd);
        if (local_port <= 0) return -1;
        usleep(200000);
    }
    return -1;
}

/* ---- SMP requests awaiting an answer ----
 * libotr's otrl_message_respond_smp has no request to answer unless SMP
 * message 1 arrived (it dereferences state that only step 2a sets), so the
 * peer remembers, per peer address, whether the user was asked. */

typedef struct Pending { char *peer; struct Pending *next; } Pending;
static Pending *smp_pending = NULL;

static int smp_is_pending(const char *peer) {
    for (Pending *p = smp_pending; p; p = p->next) if (strcmp(p->peer, peer) == 0) return 1;
    return 0;
}
static void smp_clear(const char *peer) {
    for (Pending **p = &smp_pending; *p; p = &(*p)->next) {
        if (strcmp((*p)->peer, peer) == 0) { Pending *gone = *p; *p = gone->next; free(gone->peer); free(gone); return; }
    }
}
static void smp_set(const char *peer) {
    if (smp_is_pending(peer)) return;
    Pending *p = malloc(sizeof *p);
    p->peer = strdup(peer); p->next = smp_pending; smp_pending = p;
}

/* ---- trust helpers ---- */

static int peer_has_trusted(const char *peer) {
    ConnContext *ctx = otrl_context_find(us, peer, ACCOUNT, PROTOCOL, OTRL_INSTAG_MASTER, 0, NULL, NULL, NULL);
    if (!ctx) return 0;
    for (Fingerprint *fp = ctx->fingerprint_root.next; fp; fp = fp->next)
        if (otrl_context_is_fingerprint_trusted(fp)) return 1;
    return 0;
}

static void emit_secure(ConnContext *ctx) {
    Fingerprint *fp = ctx->active_fingerprint;
    char fphex[41] = "", ssid[17], version[8];
    if (fp && fp->fingerprint) hex(fp->fingerprint, 20, fphex);
    hex(ctx->sessionid, 8, ssid);
    int trusted = fp && otrl_context_is_fingerprint_trusted(fp);
    if (!trusted && peer_has_trusted(ctx->username)) {
        Buf b = {0}; ev_begin(&b, "fingerprint-changed"); ev_str(&b, "peer", ctx->username); ev_str(&b, "fingerprint", fphex); ev_end(&b);
    }
    Buf b = {0};
    ev_begin(&b, "secure"); ev_str(&b, "peer", ctx->username);
    snprintf(version, sizeof version, "%d", ctx->protocol_version); ev_raw(&b, "version", version);
    ev_str(&b, "fingerprint", fphex); ev_str(&b, "ssid", ssid); ev_raw(&b, "trusted", trusted ? "true" : "false");
    ev_end(&b);
}

static void set_trusted(ConnContext *ctx) {
    Fingerprint *fp = ctx->active_fingerprint;
    if (!fp) return;
    otrl_context_set_trust(fp, "verified");
    otrl_privkey_write_fingerprints(us, fpfile);
    char fphex[41]; hex(fp->fingerprint, 20, fphex);
    Buf b = {0}; ev_begin(&b, "trusted"); ev_str(&b, "peer", ctx->username); ev_str(&b, "fingerprint", fphex); ev_end(&b);
}

/* ---- libotr callbacks ---- */

static OtrlPolicy cb_policy(void *o, ConnContext *c) { (void)o; (void)c; return policy; }
static void cb_create_privkey(void *o, const char *a, const char *p) { (void)o; otrl_privkey_generate(us, keyfile, a, p); }
/* The peer is on the relay as far as we know: libotr sends the disconnect TLV only then. */
static int cb_is_logged_in(void *o, const char *a, const char *p, const char *r) { (void)o; (void)a; (void)p; (void)r; return 1; }
static void cb_inject(void *o, const char *a, const char *p, const char *r, const char *m) { (void)o; (void)a; (void)p; if (m && *m) relay_send(r, m); }
static void cb_update_context_list(void *o) { (void)o; }
static void cb_new_fingerprint(void *o, OtrlUserState u, const char *a, const char *p, const char *n, unsigned char f[20]) { (void)o; (void)u; (void)a; (void)p; (void)n; (void)f; }
static void cb_write_fingerprints(void *o) { (void)o; otrl_privkey_write_fingerprints(us, fpfile); }
static void cb_gone_secure(void *o, ConnContext *c) { (void)o; smp_clear(c->username); emit_secure(c); }
/* libotr reports the peer's TLV 1 (disconnected) through the TLV list, not here. */
static void cb_gone_insecure(void *o, ConnContext *c) { (void)o; (void)c; }
static void cb_still_secure(void *o, ConnContext *c, int r) { (void)o; (void)r; smp_clear(c->username); emit_secure(c); }
static int cb_max_message_size(void *o, ConnContext *c) { (void)o; (void)c; return max_size; }
static const char *cb_account_name(void *o, const char *a, const char *p) { (void)o; (void)p; return strdup(a); }
static void cb_account_name_free(void *o, const char *n) { (void)o; free((char *)n); }
static void cb_received_symkey(void *o, ConnContext *c, unsigned int use, const unsigned char *ud, size_t udlen, const unsigned char *key) {
    (void)o;
    char usebuf[16], keyhex[2 * OTRL_EXTRAKEY_BYTES + 1];
    char *udhex = malloc(2 * udlen + 1);
    hex(ud, udlen, udhex); hex(key, OTRL_EXTRAKEY_BYTES, keyhex);
    snprintf(usebuf, sizeof usebuf, "%u", use);
    Buf b = {0}; ev_begin(&b, "symkey"); ev_str(&b, "peer", c->username); ev_raw(&b, "use", usebuf);
    ev_str(&b, "usedata", udhex); ev_str(&b, "key", keyhex); ev_end(&b);
    free(udhex);
}
static const char *cb_otr_error_message(void *o, ConnContext *c, OtrlErrorCode code) {
    (void)o; (void)c;
    switch (code) {
        case OTRL_ERRCODE_MSG_NOT_IN_PRIVATE: return strdup("You sent an encrypted message, but no private session was established.");
        case OTRL_ERRCODE_MSG_UNREADABLE: return strdup("You transmitted an unreadable encrypted message.");
        case OTRL_ERRCODE_MSG_MALFORMED: return strdup("You transmitted a malformed data message.");
        default: return strdup("An error occurred when encrypting your message.");
    }
}
static void cb_otr_error_message_free(void *o, const char *m) { (void)o; free((char *)m); }
static const char *cb_resent_prefix(void *o, ConnContext *c) { (void)o; (void)c; return strdup(""); }
static void cb_resent_prefix_free(void *o, const char *p) { (void)o; free((char *)p); }

static void cb_handle_smp_event(void *o, OtrlSMPEvent event, ConnContext *c, unsigned short progress, char *question) {
    (void)o; (void)progress;
    switch (event) {
        case OTRL_SMPEVENT_ASK_FOR_SECRET:
        case OTRL_SMPEVENT_ASK_FOR_ANSWER: {
            smp_set(c->username);
            Buf b = {0}; ev_begin(&b, "smp-request"); ev_str(&b, "peer", c->username);
            ev_str(&b, "question", event == OTRL_SMPEVENT_ASK_FOR_ANSWER ? question : NULL); ev_end(&b);
            break;
        }
        case OTRL_SMPEVENT_CHEATED:
        case OTRL_SMPEVENT_ERROR:
            smp_clear(c->username);
            otrl_message_abort_smp(us, &ops, NULL, c);
            simple_event("smp-aborted", "peer", c->username);
            break;
        case OTRL_SMPEVENT_ABORT:
            smp_clear(c->username);
            simple_event("smp-aborted", "peer", c->username);
            break;
        case OTRL_SMPEVENT_SUCCESS:
        case OTRL_SMPEVENT_FAILURE: {
            smp_clear(c->username);
            Buf b = {0}; ev_begin(&b, "smp-result"); ev_str(&b, "peer", c->username);
            ev_raw(&b, "success", event == OTRL_SMPEVENT_SUCCESS ? "true" : "false"); ev_end(&b);
            if (event == OTRL_SMPEVENT_SUCCESS) set_trusted(c);
            break;
        }
        default:
            break;
    }
}

static void cb_handle_msg_event(void *o, OtrlMessageEvent event, ConnContext *c, const char *message, gcry_error_t err) {
    (void)o; (void)err;
    const char *peer = c ? c->username : NULL;
    switch (event) {
        case OTRL_MSGEVENT_ENCRYPTION_REQUIRED: {
            Buf b = {0}; ev_begin(&b, "not-sent"); ev_str(&b, "to", peer); ev_str(&b, "reason", "encryption-required"); ev_end(&b);
            break;
        }
        case OTRL_MSGEVENT_CONNECTION_ENDED: {
            Buf b = {0}; ev_begin(&b, "not-sent"); ev_str(&b, "to", peer); ev_str(&b, "reason", "finished"); ev_end(&b);
            break;
        }
        case OTRL_MSGEVENT_RCVDMSG_UNENCRYPTED: {
            /* libotr withholds plaintext that arrives in an encrypted session
             * (or under REQUIRE_ENCRYPTION) and hands it over here; a client
             * shows it, marked as not encrypted. */
            Buf b = {0}; ev_begin(&b, "message"); ev_str(&b, "from", peer); ev_str(&b, "text", message ? message : "");
            ev_raw(&b, "encrypted", "false"); ev_end(&b);
            break;
        }
        case OTRL_MSGEVENT_RCVDMSG_GENERAL_ERR: error_event(peer, message ? message : "OTR error"); break;
        case OTRL_MSGEVENT_RCVDMSG_UNREADABLE: error_event(peer, "unreadable encrypted message"); break;
        case OTRL_MSGEVENT_RCVDMSG_MALFORMED: error_event(peer, "malformed message"); break;
        case OTRL_MSGEVENT_RCVDMSG_NOT_IN_PRIVATE: error_event(peer, "encrypted message outside a private conversation"); break;
        case OTRL_MSGEVENT_SETUP_ERROR: error_event(peer, "error setting up the private conversation"); break;
        case OTRL_MSGEVENT_ENCRYPTION_ERROR: error_event(peer, "error encrypting the message"); break;
        case OTRL_MSGEVENT_MSG_REFLECTED: error_event(peer, "received our own message back"); break;
        default: break;
    }
}

static void cb_create_instag(void *o, const char *a, const char *p) { (void)o; otrl_instag_generate(us, instagfile, a, p); }
static void cb_timer_control(void *o, unsigned int interval) { (void)o; timer_interval = interval; timer_due = interval ? time(NULL) + interval : 0; }

/* ---- commands ---- */

static ConnContext *context_for(const char *peer) {
    return otrl_context_find(us, peer, ACCOUNT, PROTOCOL, OTRL_INSTAG_BEST, 0, NULL, NULL, NULL);
}

static int encrypted_context(const char *peer, ConnContext **out) {
    ConnContext *ctx = context_for(peer);
    *out = ctx;
    return ctx && ctx->msgstate == OTRL_MSGSTATE_ENCRYPTED;
}

static int handle_command(const char *line) {
    JsonObject obj;
    if (json_parse(line, &obj) != 0) { error_event(NULL, "bad command line"); return 1; }
    const char *cmd = json_string(&obj, "cmd");
    const char *to = json_string(&obj, "to");
    int keep = 1;
    ConnContext *ctx = NULL;
    if (!cmd) error_event(NULL, "missing cmd");
    else if (strcmp(cmd, "quit") == 0) keep = 0;
    else if (!to) error_event(NULL, "missing to");
    else if (strcmp(cmd, "send") == 0 && !json_string(&obj, "text")) error_event(to, "send needs a text");
    else if (strcmp(cmd, "send") == 0) {
        const char *text = json_string(&obj, "text");
        char *newmessage = NULL;
        gcry_error_t err = otrl_message_sending(us, &ops, NULL, ACCOUNT, PROTOCOL, to, OTRL_INSTAG_BEST, text ? text : "", NULL, &newmessage, OTRL_FRAGMENT_SEND_ALL, NULL, NULL, NULL);
        if (err) error_event(to, "could not send");
        else if (!newmessage) relay_send(to, text ? text : "");
        otrl_message_free(newmessage);
    } else if (strcmp(cmd, "start") == 0) {
        char *query = otrl_proto_default_query_msg(ACCOUNT, policy);
        relay_send(to, query);
        free(query);
    } else if (strcmp(cmd, "end") == 0) {
        ctx = context_for(to);
        if (!ctx || ctx->msgstate == OTRL_MSGSTATE_PLAINTEXT) error_event(to, "no private conversation to end");
        else { smp_clear(to); otrl_message_disconnect_all_instances(us, &ops, NULL, ACCOUNT, PROTOCOL, to); simple_event("insecure", "peer", to); }
    } else if (strcmp(cmd, "smp") == 0) {
        const char *secret = json_string(&obj, "secret");
        const char *question = json_string(&obj, "question");
        smp_clear(to); /* starting our own SMP drops a request we had not answered */
        if (!encrypted_context(to, &ctx) || !secret) simple_event("smp-aborted", "peer", to);
        else if (question) otrl_message_initiate_smp_q(us, &ops, NULL, ctx, question, (const unsigned char *)secret, strlen(secret));
        else otrl_message_initiate_smp(us, &ops, NULL, ctx, (const unsigned char *)secret, strlen(secret));
    } else if (strcmp(cmd, "smp-answer") == 0) {
        const char *secret = json_string(&obj, "secret");
        if (!encrypted_context(to, &ctx) || !secret || !smp_is_pending(to)) error_event(to, "nothing to answer");
        else {
            smp_clear(to);
            otrl_message_respond_smp(us, &ops, NULL, ctx, (const unsigned char *)secret, strlen(secret));
        }
    } else if (strcmp(cmd, "smp-abort") == 0) {
        smp_clear(to);
        if (encrypted_context(to, &ctx)) otrl_message_abort_smp(us, &ops, NULL, ctx);
        simple_event("smp-aborted", "peer", to);
    } else if (strcmp(cmd, "trust") == 0) {
        ctx = context_for(to);
        if (!ctx || !ctx->active_fingerprint) error_event(to, "no fingerprint to trust");
        else set_trusted(ctx);
    } else if (strcmp(cmd, "symkey") == 0) {
        double use = 0;
        const char *usedata = json_string(&obj, "usedata");
        if (usedata && (strlen(usedata) % 2 != 0 || strspn(usedata, "0123456789abcdef") != strlen(usedata))) error_event(to, "usedata must be lowercase hex");
        else if (!encrypted_context(to, &ctx) || ctx->protocol_version < 3 || json_number(&obj, "use", &use) != 0 || use < 0 || use > 4294967295.0 || use != (double)(unsigned long)use) error_event(to, "symkey needs a v3 private conversation and a use");
        else {
            size_t n = usedata ? strlen(usedata) / 2 : 0;
            unsigned char *ud = malloc(n + 1), key[OTRL_EXTRAKEY_BYTES];
            for (size_t i = 0; i < n; i++) sscanf(usedata + 2 * i, "%2hhx", &ud[i]);
            if (otrl_message_symkey(us, &ops, NULL, ctx, (unsigned int)use, ud, n, key) == 0) {
                char usebuf[16], keyhex[2 * OTRL_EXTRAKEY_BYTES + 1];
                snprintf(usebuf, sizeof usebuf, "%u", (unsigned int)use);
                hex(key, OTRL_EXTRAKEY_BYTES, keyhex);
                Buf b = {0}; ev_begin(&b, "symkey"); ev_str(&b, "peer", to); ev_raw(&b, "use", usebuf);
                ev_str(&b, "usedata", usedata ? usedata : ""); ev_str(&b, "key", keyhex); ev_end(&b);
            } else error_event(to, "symkey failed");
            free(ud);
        }
    } else error_event(NULL, "unknown command");
    json_free(&obj);
    return keep;
}

/* ---- received messages ---- */

static void handle_frame(const char *from, const char *text) {
    char *newmessage = NULL;
    OtrlTLV *tlvs = NULL;
    int was_otr = strncmp(text, "?OTR", 4) == 0;
    int ignore = otrl_message_receiving(us, &ops, NULL, ACCOUNT, PROTOCOL, from, text, &newmessage, &tlvs, NULL, NULL, NULL);
    int disconnected = otrl_tlv_find(tlvs, OTRL_TLV_DISCONNECTED) != NULL;
    otrl_tlv_free(tlvs);
    if (!ignore) {
        const char *shown = newmessage ? newmessage : text;
        if (*shown) {
            Buf b = {0}; ev_begin(&b, "message"); ev_str(&b, "from", from); ev_str(&b, "text", shown);
            ev_raw(&b, "encrypted", was_otr && newmessage ? "true" : "false"); ev_end(&b);
        }
    }
    otrl_message_free(newmessage);
    if (disconnected) simple_event("finished", "peer", from);
}

/* ---- main ---- */

static void usage_exit(const char *why) { fprintf(stderr, "libotr-peer: %s\n", why); exit(2); }

/* A decimal number from `lo` to `hi`, or exit status 2. */
static int number_flag(const char *v, long lo, long hi, const char *why) {
    if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9) usage_exit(why);
    long n = strtol(v, NULL, 10);
    if (n < lo || n > hi) usage_exit(why);
    return (int)n;
}

int main(int argc, char **argv) {
    const char *relay = NULL, *state_dir = NULL;
    int local_port = 0, v2 = 1, v3 = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) usage_exit("option needs a value");
        i++;
        if (strcmp(a, "--relay") == 0) relay = v;
        else if (strcmp(a, "--policy") == 0) {
            if (strcmp(v, "manual") == 0) policy = OTRL_POLICY_MANUAL;
            else if (strcmp(v, "opportunistic") == 0) policy = OTRL_POLICY_OPPORTUNISTIC;
            else if (strcmp(v, "always") == 0) policy = OTRL_POLICY_ALWAYS;
            else usage_exit("bad --policy");
        } else if (strcmp(a, "--versions") == 0) {
            v2 = v3 = 0;
            char copy[64];
            /* Numbers separated by single commas: no empty item, no other character. */
            if (!*v || strlen(v) >= sizeof copy || strspn(v, "0123456789,") != strlen(v) || v[0] == ',' ||
                v[strlen(v) - 1] == ',' || strstr(v, ",,")) usage_exit("bad --versions");
            snprintf(copy, sizeof copy, "%s", v);
            for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
                if (strcmp(tok, "2") == 0) v2 = 1; else if (strcmp(tok, "3") == 0) v3 = 1;
                else if (strspn(tok, "0123456789") != strlen(tok) || !*tok) usage_exit("bad --versions");
            }
            if (!v2 && !v3) usage_exit("no supported version in --versions");
        } else if (strcmp(a, "--max-message-size") == 0) {
            max_size = number_flag(v, 0, 100000000, "bad --max-message-size");
            if (max_size >= 1 && max_size <= 63) usage_exit("bad --max-message-size");
        } else if (strcmp(a, "--state-dir") == 0) state_dir = v;
        else if (strcmp(a, "--local-port") == 0) local_port = number_flag(v, 1, 65535, "bad --local-port");
        else usage_exit("unknown option");
    }
    if (!relay) usage_exit("--relay HOST:PORT is required");
    policy &= ~(OtrlPolicy)OTRL_POLICY_VERSION_MASK;
    if (v2) policy |= OTRL_POLICY_ALLOW_V2;
    if (v3) policy |= OTRL_POLICY_ALLOW_V3;

    char tmpdir[] = "/tmp/libotr-peer-XXXXXX";
    if (!state_dir) { if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 1; } state_dir = tmpdir; }
    mkdir(state_dir, 0700);
    snprintf(keyfile, sizeof keyfile, "%s/otr.private_key", state_dir);
    snprintf(fpfile, sizeof fpfile, "%s/otr.fingerprints", state_dir);
    snprintf(instagfile, sizeof instagfile, "%s/otr.instance_tags", state_dir);

    OTRL_INIT;
    us = otrl_userstate_create();
    otrl_privkey_read(us, keyfile);
    otrl_privkey_read_fingerprints(us, fpfile, NULL, NULL);
    otrl_instag_read(us, instagfile);
    if (!otrl_privkey_find(us, ACCOUNT, PROTOCOL)) otrl_privkey_generate(us, keyfile, ACCOUNT, PROTOCOL);
    if (!otrl_instag_find(us, ACCOUNT, PROTOCOL)) otrl_instag_generate(us, instagfile, ACCOUNT, PROTOCOL);

    ops.policy = cb_policy; ops.create_privkey = cb_create_privkey; ops.is_logged_in = cb_is_logged_in;
    ops.inject_message = cb_inject; ops.update_context_list = cb_update_context_list;
    ops.new_fingerprint = cb_new_fingerprint; ops.write_fingerprints = cb_write_fingerprints;
    ops.gone_secure = cb_gone_secure; ops.gone_insecure = cb_gone_insecure; ops.still_secure = cb_still_secure;
    ops.max_message_size = cb_max_message_size; ops.account_name = cb_account_name; ops.account_name_free = cb_account_name_free;
    ops.received_symkey = cb_received_symkey; ops.otr_error_message = cb_otr_error_message;
    ops.otr_error_message_free = cb_otr_error_message_free; ops.resent_msg_prefix = cb_resent_prefix;
    ops.resent_msg_prefix_free = cb_resent_prefix_free; ops.handle_smp_event = cb_handle_smp_event;
    ops.handle_msg_event = cb_handle_msg_event; ops.create_instag = cb_create_instag; ops.timer_control = cb_timer_control;

    char host[64]; int port = 0;
    const char *colon = strrchr(relay, ':');
    if (!colon || (size_t)(colon - relay) >= sizeof host) usage_exit("bad --relay");
    memcpy(host, relay, (size_t)(colon - relay)); host[colon - relay] = 0; port = number_flag(colon + 1, 1, 65535, "bad --relay");
    struct in_addr probe;
    if (inet_pton(AF_INET, host, &probe) != 1) usage_exit("--relay needs an IPv4 HOST:PORT");
    relay_fd = relay_connect(host, port, local_port);
    if (relay_fd < 0) { fprintf(stderr, "libotr-peer: cannot connect to relay %s\n", relay); return 1; }

    unsigned char fp[20]; char fphex[41];
    otrl_privkey_fingerprint_raw(us, fp, ACCOUNT, PROTOCOL);
    hex(fp, 20, fphex);
    { Buf b = {0}; ev_begin(&b, "ready"); ev_str(&b, "address", my_address); ev_str(&b, "fingerprint", fphex); ev_end(&b); }

    Buf in = {0}; buf_add(&in, "");
    unsigned char *net = NULL; size_t netlen = 0;
    for (;;) {
        struct pollfd fds[2] = {{0, POLLIN, 0}, {relay_fd, POLLIN, 0}};
        int timeout = timer_due ? (int)((timer_due - time(NULL)) * 1000) : -1;
        if (timer_due && timeout < 0) timeout = 0;
        poll(fds, 2, timeout);
        if (timer_due && time(NULL) >= timer_due) { timer_due = time(NULL) + timer_interval; otrl_message_poll(us, &ops, NULL); }
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            char chunk[65536];
            ssize_t n = read(0, chunk, sizeof chunk - 1);
            if (n <= 0) break;
            chunk[n] = 0;
            buf_add(&in, chunk);
            char *nl;
            int quit = 0;
            while ((nl = strchr(in.data, '\n'))) {
                *nl = 0;
                if (*in.data && !handle_command(in.data)) quit = 1;
                memmove(in.data, nl + 1, strlen(nl + 1) + 1);
                in.len = strlen(in.data);
                if (quit) break;
            }
            if (quit) break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP)) {
            unsigned char chunk[65536];
            ssize_t n = read(relay_fd, chunk, sizeof chunk);
            if (n <= 0) { fprintf(stderr, "libotr-peer: relay closed\n"); break; }
            net = realloc(net, netlen + (size_t)n);
            memcpy(net + netlen, chunk, (size_t)n); netlen += (size_t)n;
            for (;;) {
                if (netlen < 4) break;
                uint32_t alen = ntohl(*(uint32_t *)net);
                if (netlen < 8 + alen) break;
                uint32_t clen = ntohl(*(uint32_t *)(net + 4 + alen));
                if (netlen < 8 + alen + clen) break;
                char *from = strndup((char *)net + 4, alen);
                char *text = strndup((char *)net + 8 + alen, clen);
                handle_frame(from, text);
                free(from); free(text);
                size_t used = 8 + alen + clen;
                memmove(net, net + used, netlen - used); netlen -= used;
            }
        }
    }
    otrl_userstate_free(us);
    close(relay_fd);
    return 0;
}
