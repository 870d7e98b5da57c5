/*
 * Runs the Socialist Millionaires' Protocol with libotr's own SMP functions
 * (otrl_sm_step1 .. otrl_sm_step5 from libotr5-dev) and prints, as one JSON
 * line per case, every message libotr produced and every verdict it gave.
 *
 * Randomness is made reproducible: this program defines
 * gcry_random_bytes_secure itself and is linked with -rdynamic, so libotr's
 * calls (its randomExponent, 192 bytes a time) come here instead of
 * libgcrypt. Each draw is block i of SHA-256(seed || i as 4 bytes BE)
 * (counting blocks from 0 at the start of a case), and is printed.
 *
 * Input, one case per line on stdin:
 *   LABEL SEED_HEX X_HEX Y_HEX TAMPER_STEP TAMPER_PAYLOAD_HEX
 * X and Y are Alice's and Bob's 32-byte SMP secrets. TAMPER_STEP 0 runs the
 * protocol as is; 1..4 replaces SMP message TAMPER_STEP by the given
 * payload (an INT count and MPIs, as in the TLV) before the receiver sees
 * it. The run stops at the first step libotr marks CHEATED.
 *
 * Build: gcc -O1 -Wall -Wextra -rdynamic -o smp smp.c $(pkg-config --cflags --libs libotr) -lgcrypt
 * A test tool, never part of the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/sm.h>

#define MAX_HEX 8192

static unsigned char seed[256];
static size_t seed_len;
static unsigned int block_counter;
static int first_draw;

/* Replaces libgcrypt's for libotr's calls (see above). */
void *gcry_random_bytes_secure(size_t nbytes, enum gcry_random_level level)
{
    unsigned char *out = gcry_malloc(nbytes);
    unsigned char input[sizeof seed + 4];
    unsigned char block[32];
    size_t filled = 0, i;
    (void)level;
    if (!out) abort();
    while (filled < nbytes) {
        size_t take;
        memcpy(input, seed, seed_len);
        input[seed_len] = (unsigned char)(block_counter >> 24);
        input[seed_len + 1] = (unsigned char)(block_counter >> 16);
        input[seed_len + 2] = (unsigned char)(block_counter >> 8);
        input[seed_len + 3] = (unsigned char)block_counter;
        block_counter++;
        gcry_md_hash_buffer(GCRY_MD_SHA256, block, input, seed_len + 4);
        take = nbytes - filled < 32 ? nbytes - filled : 32;
        memcpy(out + filled, block, take);
        filled += take;
    }
    printf("%s\"", first_draw ? "" : ",");
    first_draw = 0;
    for (i = 0; i < nbytes; i++) printf("%02x", out[i]);
    printf("\"");
    return out;
}

/* libotr's SMP must draw nothing else: fail loudly if it does. */
void *gcry_random_bytes(size_t nbytes, enum gcry_random_level level)
{
    (void)nbytes; (void)level;
    fprintf(stderr, "unexpected gcry_random_bytes\n");
    abort();
}

void gcry_randomize(void *buffer, size_t length, enum gcry_random_level level)
{
    (void)buffer; (void)length; (void)level;
    fprintf(stderr, "unexpected gcry_randomize\n");
    abort();
}

static size_t unhex(const char *hex, unsigned char *out, size_t max)
{
    size_t n = strlen(hex) / 2, i;
    if (n > max) { fprintf(stderr, "hex too long\n"); exit(1); }
    for (i = 0; i < n; i++) {
        unsigned int byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1) { fprintf(stderr, "bad hex\n"); exit(1); }
        out[i] = (unsigned char)byte;
    }
    return n;
}

static void print_hex(const unsigned char *data, size_t len)
{
    size_t i;
    printf("\"");
    for (i = 0; i < len; i++) printf("%02x", data[i]);
    printf("\"");
}

static const char *prog_name(OtrlSMProgState prog)
{
    switch (prog) {
    case OTRL_SMP_PROG_OK: return "ok";
    case OTRL_SMP_PROG_CHEATED: return "cheated";
    case OTRL_SMP_PROG_FAILED: return "failed";
    case OTRL_SMP_PROG_SUCCEEDED: return "succeeded";
    }
    return "unknown";
}

/* One protocol step's record: what the receiver got, libotr's verdict, what it sent. */
static void print_step(const char *name, int first, const unsigned char *received, int received_len,
    gcry_error_t err, OtrlSMProgState prog, const unsigned char *sent, int sent_len)
{
    printf("%s{\"step\":\"%s\"", first ? "" : ",", name);
    if (received) { printf(",\"received\":"); print_hex(received, (size_t)received_len); }
    printf(",\"error\":%u,\"prog\":\"%s\"", gcry_err_code(err), prog_name(prog));
    if (sent) { printf(",\"sent\":"); print_hex(sent, (size_t)sent_len); }
    printf("}");
}

/* Swaps in the tampered payload for message `step` if this case asks for it. */
static void maybe_tamper(int step, int tamper_step, unsigned char **message, int *len,
    const unsigned char *tampered, int tampered_len)
{
    if (step != tamper_step) return;
    free(*message);
    *message = malloc((size_t)tampered_len + 1);
    memcpy(*message, tampered, (size_t)tampered_len);
    *len = tampered_len;
}

static void run_case(const char *label, const unsigned char *x, size_t x_len, const unsigned char *y, size_t y_len,
    int tamper_step, const unsigned char *tampered, int tampered_len)
{
    OtrlSMState alice, bob;
    unsigned char *m1 = NULL, *m2 = NULL, *m3 = NULL, *m4 = NULL;
    int m1_len = 0, m2_len = 0, m3_len = 0, m4_len = 0;
    gcry_error_t err;

    otrl_sm_state_new(&alice);
    otrl_sm_state_new(&bob);
    block_counter = 0;
    first_draw = 1;

    printf("{\"label\":\"%s\",\"draws\":[", label);
    /* Draws are printed as they happen; the steps follow once the run ends. */
    err = otrl_sm_step1(&alice, x, (int)x_len, &m1, &m1_len);
    if (err) abort();
    maybe_tamper(1, tamper_step, &m1, &m1_len, tampered, tampered_len);
    err = otrl_sm_step2a(&bob, m1, m1_len, 0);
    gcry_error_t err2a = err;
    OtrlSMProgState prog2a = bob.sm_prog_state;
    gcry_error_t err3 = 0, err4 = 0, err5 = 0;
    OtrlSMProgState prog3 = OTRL_SMP_PROG_OK, prog4 = OTRL_SMP_PROG_OK, prog5 = OTRL_SMP_PROG_OK;
    int reached = 1;
    if (prog2a != OTRL_SMP_PROG_CHEATED) {
        reached = 2;
        if (otrl_sm_step2b(&bob, y, (int)y_len, &m2, &m2_len)) abort();
        maybe_tamper(2, tamper_step, &m2, &m2_len, tampered, tampered_len);
        err3 = otrl_sm_step3(&alice, m2, m2_len, &m3, &m3_len);
        prog3 = alice.sm_prog_state;
        if (prog3 != OTRL_SMP_PROG_CHEATED) {
            reached = 3;
            maybe_tamper(3, tamper_step, &m3, &m3_len, tampered, tampered_len);
            err4 = otrl_sm_step4(&bob, m3, m3_len, &m4, &m4_len);
            prog4 = bob.sm_prog_state;
            if (prog4 != OTRL_SMP_PROG_CHEATED) {
                reached = 4;
                maybe_tamper(4, tamper_step, &m4, &m4_len, tampered, tampered_len);
                err5 = otrl_sm_step5(&alice, m4, m4_len);
                prog5 = alice.sm_prog_state;
            }
        }
    }
    printf("],\"steps\":[");
    print_step("1", 1, NULL, 0, 0, OTRL_SMP_PROG_OK, m1, m1_len);
    print_step("2a", 0, m1, m1_len, err2a, prog2a, NULL, 0);
    if (reached >= 2) {
        print_step("2b", 0, NULL, 0, 0, OTRL_SMP_PROG_OK, m2, m2_len);
        print_step("3", 0, m2, m2_len, err3, prog3, prog3 == OTRL_SMP_PROG_CHEATED ? NULL : m3, m3_len);
    }
    if (reached >= 3) print_step("4", 0, m3, m3_len, err4, prog4, prog4 == OTRL_SMP_PROG_CHEATED ? NULL : m4, m4_len);
    if (reached >= 4) print_step("5", 0, m4, m4_len, err5, prog5, NULL, 0);
    printf("]}\n");
    fflush(stdout);

    free(m1); free(m2); free(m3); free(m4);
    otrl_sm_state_free(&alice);
    otrl_sm_state_free(&bob);
}

int main(void)
{
    static char line[4 * MAX_HEX];
    static unsigned char tampered[MAX_HEX];
    OTRL_INIT; /* also runs otrl_sm_init */
    while (fgets(line, sizeof line, stdin)) {
        char label[128], seed_hex[513], x_hex[257], y_hex[257], tampered_hex[2 * MAX_HEX + 1];
        unsigned char x[128], y[128];
        int tamper_step;
        size_t x_len, y_len, tampered_len = 0;
        if (sscanf(line, "%127s %512s %256s %256s %d %16384s", label, seed_hex, x_hex, y_hex, &tamper_step, tampered_hex) != 6) {
            fprintf(stderr, "bad input line\n");
            return 1;
        }
        seed_len = unhex(seed_hex, seed, sizeof seed);
        x_len = unhex(x_hex, x, sizeof x);
        y_len = unhex(y_hex, y, sizeof y);
        if (tamper_step != 0) tampered_len = unhex(tampered_hex, tampered, sizeof tampered);
        run_case(label, x, x_len, y, y_len, tamper_step, tampered, (int)tampered_len);
    }
    return 0;
}
