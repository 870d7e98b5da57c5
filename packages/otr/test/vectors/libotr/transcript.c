/*
 * Records real libotr wire traffic as JSON lines on stdout.
 *
 * Two libotr users ("alice@example" and "bob@example", protocol "prpl-test")
 * talk in memory: inject_message puts each text on a FIFO queue, and the
 * harness delivers it to the other side with otrl_message_receiving. The
 * max_message_size op returns MAX_MESSAGE_SIZE so long messages are
 * fragmented by libotr itself. Every text put on the wire is printed; for
 * fragments, libotr's own reassembly (otrl_proto_fragment_accumulate on a
 * scratch context) yields the complete message, which is printed too.
 *
 * Runs (argv[1]): "v3" (query, AKE v3, data, SMP with question, end),
 * "v2" (the same with both sides allowing version 2 only), "tag"
 * (whitespace-tagged plaintext starting the AKE, a data message, then a
 * replay of it, which libotr answers with an OTR error message).
 *
 * Build: gcc -O1 -Wall -o transcript transcript.c $(pkg-config --cflags --libs libotr)
 * This program is a test tool; it is never part of the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/userstate.h>
#include <libotr/message.h>
#include <libotr/privkey.h>
#include <libotr/instag.h>
#include <libotr/tlv.h>
#include <libotr/context_priv.h>

#define PROTOCOL "prpl-test"
#define MAX_MESSAGE_SIZE 140
#define QUEUE_MAX 4096

typedef struct {
    const char *name;     /* account name */
    const char *peer;     /* the other account's name */
    OtrlUserState us;
    OtrlPolicy policy;
    unsigned int instag;
    int pending_smp_answer; /* set by handle_smp_event, answered by the loop */
    ConnContext scratch;  /* only for libotr's fragment reassembly */
} User;

typedef struct {
    User *to;
    User *from;
    char *text;
    int seq;
} Item;

static User alice, bob;
static const char *run_name = "v3";
static Item queue[QUEUE_MAX];
static int queue_head = 0, queue_tail = 0;
static int seq = 0;
static char *sent_texts[QUEUE_MAX + 1]; /* by seq, for replays */
static int fragment_seqs[QUEUE_MAX];
static int fragment_seq_count = 0;

/* ---- JSON output ---- */

static void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p == '\n') printf("\\n");
        else if (*p == '\t') printf("\\t");
        else if (*p == '\r') printf("\\r");
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

static void json_hex(const unsigned char *data, size_t len)
{
    putchar('"');
    for (size_t i = 0; i < len; i++) printf("%02x", data[i]);
    putchar('"');
}

static void begin_record(const char *type)
{
    printf("{\"type\":");
    json_string(type);
    printf(",\"run\":");
    json_string(run_name);
}

static void step(const char *label)
{
    begin_record("step");
    printf(",\"label\":");
    json_string(label);
    printf("}\n");
}

static User *user_by_name(const char *name)
{
    return strcmp(name, alice.name) == 0 ? &alice : &bob;
}

/* ---- libotr callbacks ---- */

static OtrlPolicy op_policy(void *opdata, ConnContext *context)
{
    (void)context;
    return ((User *)opdata)->policy;
}

static int op_is_logged_in(void *opdata, const char *accountname, const char *protocol, const char *recipient)
{
    (void)opdata; (void)accountname; (void)protocol; (void)recipient;
    return 1;
}

static void op_inject(void *opdata, const char *accountname, const char *protocol, const char *recipient, const char *message)
{
    (void)accountname; (void)protocol;
    User *from = (User *)opdata;
    if (queue_tail >= QUEUE_MAX) { fprintf(stderr, "queue full\n"); exit(1); }
    Item *item = &queue[queue_tail++];
    item->from = from;
    item->to = user_by_name(recipient);
    item->text = strdup(message);
    item->seq = ++seq;
    sent_texts[item->seq] = strdup(message);
    int is_fragment = strncmp(message, "?OTR|", 5) == 0 || strncmp(message, "?OTR,", 5) == 0;
    begin_record("wire");
    printf(",\"seq\":%d,\"from\":", item->seq);
    json_string(from->name);
    printf(",\"to\":");
    json_string(recipient);
    printf(",\"fragment\":%s,\"text\":", is_fragment ? "true" : "false");
    json_string(message);
    printf("}\n");

    /* libotr's own reassembly of what was just sent, to record the complete message. */
    if (is_fragment) {
        char *whole = NULL;
        fragment_seqs[fragment_seq_count++] = item->seq;
        OtrlFragmentResult result = otrl_proto_fragment_accumulate(&whole, &from->scratch, message);
        if (result == OTRL_FRAGMENT_COMPLETE) {
            begin_record("reassembled");
            printf(",\"from\":");
            json_string(from->name);
            printf(",\"to\":");
            json_string(recipient);
            printf(",\"fragmentSeqs\":[");
            for (int i = 0; i < fragment_seq_count; i++) printf("%s%d", i ? "," : "", fragment_seqs[i]);
            printf("],\"text\":");
            json_string(whole);
            printf("}\n");
            free(whole);
            fragment_seq_count = 0;
        }
    }
}

static void op_event(const char *name, User *user, const char *detail)
{
    begin_record("event");
    printf(",\"account\":");
    json_string(user->name);
    printf(",\"event\":");
    json_string(name);
    if (detail) {
        printf(",\"detail\":");
        json_string(detail);
    }
    printf("}\n");
}

static void op_gone_secure(void *opdata, ConnContext *context)
{
    User *user = (User *)opdata;
    begin_record("event");
    printf(",\"account\":");
    json_string(user->name);
    printf(",\"event\":\"gone-secure\",\"protocolVersion\":%u,\"ourInstance\":%u,\"theirInstance\":%u,\"ssid\":",
           context->protocol_version, context->our_instance, context->their_instance);
    json_hex(context->sessionid, context->sessionid_len);
    printf("}\n");
}

static void op_gone_insecure(void *opdata, ConnContext *context) { (void)context; op_event("gone-insecure", opdata, NULL); }
static void op_still_secure(void *opdata, ConnContext *context, int is_reply) { (void)context; (void)is_reply; op_event("still-secure", opdata, NULL); }
static int op_max_message_size(void *opdata, ConnContext *context) { (void)opdata; (void)context; return MAX_MESSAGE_SIZE; }
static void op_update_context_list(void *opdata) { (void)opdata; }
static void op_new_fingerprint(void *opdata, OtrlUserState us, const char *accountname, const char *protocol, const char *username, unsigned char fingerprint[20])
{
    (void)opdata; (void)us; (void)accountname; (void)protocol; (void)username; (void)fingerprint;
}
static void op_write_fingerprints(void *opdata) { (void)opdata; }

static const char *smp_event_names[] = {
    "none", "error", "abort", "cheated", "ask-for-answer", "ask-for-secret", "in-progress", "success", "failure",
};

static void op_smp_event(void *opdata, OtrlSMPEvent smp_event, ConnContext *context, unsigned short progress, char *question)
{
    (void)context;
    User *user = (User *)opdata;
    begin_record("event");
    printf(",\"account\":");
    json_string(user->name);
    printf(",\"event\":\"smp\",\"smpEvent\":");
    json_string(smp_event_names[smp_event]);
    printf(",\"progress\":%u", progress);
    if (question) {
        printf(",\"question\":");
        json_string(question);
    }
    printf("}\n");
    if (smp_event == OTRL_SMPEVENT_ASK_FOR_ANSWER || smp_event == OTRL_SMPEVENT_ASK_FOR_SECRET) user->pending_smp_answer = 1;
}

static const char *msg_event_names[] = {
    "none", "encryption-required", "encryption-error", "connection-ended", "setup-error", "msg-reflected",
    "msg-resent", "rcvdmsg-not-in-private", "rcvdmsg-unreadable", "rcvdmsg-malformed", "log-heartbeat-rcvd",
    "log-heartbeat-sent", "rcvdmsg-general-err", "rcvdmsg-unencrypted", "rcvdmsg-unrecognized",
    "rcvdmsg-for-other-instance",
};

static void op_msg_event(void *opdata, OtrlMessageEvent msg_event, ConnContext *context, const char *message, gcry_error_t err)
{
    (void)context; (void)err;
    op_event(msg_event_names[msg_event], opdata, message);
}

static const char *op_error_message(void *opdata, ConnContext *context, OtrlErrorCode code)
{
    (void)opdata; (void)context;
    switch (code) {
    case OTRL_ERRCODE_MSG_NOT_IN_PRIVATE: return strdup("You sent encrypted data to alice@example, who wasn't expecting it.");
    case OTRL_ERRCODE_MSG_UNREADABLE: return strdup("You transmitted an unreadable encrypted message.");
    case OTRL_ERRCODE_MSG_MALFORMED: return strdup("You transmitted a malformed data message.");
    default: return strdup("Error setting up private conversation.");
    }
}

static void op_error_message_free(void *opdata, const char *text)
{
    (void)opdata;
    free((char *)text);
}

static void op_create_instag(void *opdata, const char *accountname, const char *protocol)
{
    (void)opdata; (void)accountname; (void)protocol;
    fprintf(stderr, "unexpected create_instag\n");
    exit(1);
}

static void op_create_privkey(void *opdata, const char *accountname, const char *protocol)
{
    (void)opdata; (void)accountname; (void)protocol;
    fprintf(stderr, "unexpected create_privkey\n");
    exit(1);
}

static OtrlMessageAppOps ops = {
    .policy = op_policy,
    .create_privkey = op_create_privkey,
    .is_logged_in = op_is_logged_in,
    .inject_message = op_inject,
    .update_context_list = op_update_context_list,
    .new_fingerprint = op_new_fingerprint,
    .write_fingerprints = op_write_fingerprints,
    .gone_secure = op_gone_secure,
    .gone_insecure = op_gone_insecure,
    .still_secure = op_still_secure,
    .max_message_size = op_max_message_size,
    .otr_error_message = op_error_message,
    .otr_error_message_free = op_error_message_free,
    .handle_smp_event = op_smp_event,
    .handle_msg_event = op_msg_event,
    .create_instag = op_create_instag,
};

/* ---- setup ---- */

static void setup_user(User *user, const char *name, const char *peer, unsigned int instag, OtrlPolicy policy)
{
    user->name = name;
    user->peer = peer;
    user->policy = policy;
    user->instag = instag;
    user->us = otrl_userstate_create();
    memset(&user->scratch, 0, sizeof user->scratch);
    user->scratch.context_priv = otrl_context_priv_new();

    FILE *keyfile = tmpfile();
    if (otrl_privkey_generate_FILEp(user->us, keyfile, name, PROTOCOL)) { fprintf(stderr, "keygen failed\n"); exit(1); }
    fclose(keyfile);

    FILE *tagfile = tmpfile();
    fprintf(tagfile, "%s\t%s\t%08x\n", name, PROTOCOL, instag);
    rewind(tagfile);
    if (otrl_instag_read_FILEp(user->us, tagfile)) { fprintf(stderr, "instag read failed\n"); exit(1); }
    fclose(tagfile);

    OtrlPrivKey *key = otrl_privkey_find(user->us, name, PROTOCOL);
    char fingerprint[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
    otrl_privkey_fingerprint(user->us, fingerprint, name, PROTOCOL);
    begin_record("account");
    printf(",\"account\":");
    json_string(name);
    /* PUBKEY as on the wire: the SHORT type, then libotr's serialized MPIs
     * (pubkey_data, which is also what the fingerprint hashes). */
    unsigned char type[2] = { (unsigned char)(key->pubkey_type >> 8), (unsigned char)(key->pubkey_type & 0xff) };
    printf(",\"instanceTag\":%u,\"policy\":%u,\"publicKey\":\"", instag, policy);
    for (size_t i = 0; i < 2; i++) printf("%02x", type[i]);
    for (size_t i = 0; i < key->pubkey_datalen; i++) printf("%02x", key->pubkey_data[i]);
    printf("\"");
    printf(",\"fingerprint\":");
    json_string(fingerprint);
    printf("}\n");
}

/* ---- the message loop ---- */

static void deliver_all(void)
{
    while (queue_head < queue_tail) {
        Item item = queue[queue_head++];
        char *shown = NULL;
        OtrlTLV *tlvs = NULL;
        int ignore = otrl_message_receiving(item.to->us, &ops, item.to, item.to->name, PROTOCOL, item.from->name,
                                            item.text, &shown, &tlvs, NULL, NULL, NULL);
        begin_record("received");
        printf(",\"seq\":%d,\"by\":", item.seq);
        json_string(item.to->name);
        printf(",\"internal\":%s", ignore ? "true" : "false");
        if (shown) {
            printf(",\"shown\":");
            json_string(shown);
        }
        printf(",\"tlvs\":[");
        int first = 1;
        for (OtrlTLV *tlv = tlvs; tlv; tlv = tlv->next) {
            printf("%s{\"type\":%u,\"value\":", first ? "" : ",", tlv->type);
            json_hex(tlv->data, tlv->len);
            printf("}");
            first = 0;
        }
        printf("]}\n");
        otrl_tlv_free(tlvs);
        otrl_message_free(shown);
        free(item.text);

        if (item.to->pending_smp_answer) {
            item.to->pending_smp_answer = 0;
            ConnContext *context = otrl_context_find(item.to->us, item.from->name, item.to->name, PROTOCOL,
                                                     OTRL_INSTAG_BEST, 0, NULL, NULL, NULL);
            const char *answer = "fourty-two";
            step("bob answers SMP");
            otrl_message_respond_smp(item.to->us, &ops, item.to, context, (const unsigned char *)answer, strlen(answer));
        }
    }
}

static void send_text(User *from, const char *text)
{
    char *out = NULL;
    gcry_error_t err = otrl_message_sending(from->us, &ops, from, from->name, PROTOCOL, from->peer, OTRL_INSTAG_BEST,
                                            text, NULL, &out, OTRL_FRAGMENT_SEND_ALL, NULL, NULL, NULL);
    if (err) { fprintf(stderr, "sending failed\n"); exit(1); }
    /* With OTRL_FRAGMENT_SEND_ALL, libotr injected whatever it made of the
     * text (encrypted or whitespace-tagged); out == NULL means "send the
     * original text unchanged", which the application does itself. */
    if (out == NULL) op_inject(from, from->name, PROTOCOL, from->peer, text);
    otrl_message_free(out);
    deliver_all();
}

static ConnContext *context_of(User *user)
{
    return otrl_context_find(user->us, user->peer, user->name, PROTOCOL, OTRL_INSTAG_BEST, 0, NULL, NULL, NULL);
}

static void conversation(void)
{
    step("alice sends a query message");
    char *query = otrl_proto_default_query_msg(alice.name, alice.policy);
    op_inject(&alice, alice.name, PROTOCOL, alice.peer, query);
    free(query);
    deliver_all();

    step("alice sends a short data message");
    send_text(&alice, "hello bob");
    step("bob sends a data message with non-ASCII text");
    send_text(&bob, "gr\xc3\xbc\xc3\x9f dich, Alice \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x92");
    step("alice sends a long data message (fragmented)");
    send_text(&alice, "This message is long enough that its encoded form does not fit in one transport message "
                      "of 140 characters, so libotr splits it into fragments that the other side reassembles.");
    step("bob replies");
    send_text(&bob, "ok");

    step("alice starts SMP with a question");
    const char *secret = "fourty-two";
    otrl_message_initiate_smp_q(alice.us, &ops, &alice, context_of(&alice), "What is the answer?",
                                (const unsigned char *)secret, strlen(secret));
    deliver_all();

    step("alice sends after SMP");
    send_text(&alice, "after smp <b>html</b> & \"quotes\"");

    step("alice ends the private conversation");
    otrl_message_disconnect(alice.us, &ops, &alice, alice.name, PROTOCOL, alice.peer, OTRL_INSTAG_BEST);
    deliver_all();
}

static void tagged_then_error(void)
{
    step("alice sends plaintext; libotr adds a whitespace tag");
    send_text(&alice, "hi bob, want to talk privately?");
    step("bob sends a data message");
    send_text(&bob, "yes");
    step("the network replays bob's last message; alice answers with an OTR error");
    int last = seq;
    int first = last;
    while (first > 1 && strncmp(sent_texts[first], "?OTR|", 5) == 0 && strstr(sent_texts[first], ",00001,") == NULL) first--;
    for (int i = first; i <= last; i++) op_inject(&bob, bob.name, PROTOCOL, bob.peer, sent_texts[i]);
    deliver_all();
}

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: %s v3|v2|tag\n", argv[0]); return 2; }
    run_name = argv[1];
    OTRL_INIT;
    OtrlPolicy policy = OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3 | OTRL_POLICY_WHITESPACE_START_AKE | OTRL_POLICY_ERROR_START_AKE;
    if (strcmp(run_name, "v2") == 0) policy = OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ERROR_START_AKE;
    if (strcmp(run_name, "tag") == 0) policy |= OTRL_POLICY_SEND_WHITESPACE_TAG;
    setup_user(&alice, "alice@example", "bob@example", 0x1a2b3c4d, policy);
    setup_user(&bob, "bob@example", "alice@example", 0x9e8d7c6b, policy);
    if (strcmp(run_name, "tag") == 0) tagged_then_error();
    else conversation();
    return 0;
}
