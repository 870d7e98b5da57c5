/*
 * Known-answer helper for the cryptography of @sotto/otr, linked against the
 * installed libotr (libotr5-dev) and libgcrypt. generate-crypto-kat.py runs it;
 * every command prints "name: value" lines (hex values).
 *
 *   crypto-kat genkey KEYFILE          libotr generates a DSA key into KEYFILE,
 *                                      then prints it as "info" does
 *   crypto-kat info KEYFILE            p q g y x of the key in KEYFILE, and
 *                                      libotr's fingerprint (raw and human)
 *   crypto-kat sign KEYFILE DIGEST     otrl_privkey_sign over DIGEST
 *   crypto-kat verify P Q G Y DIGEST SIG
 *                                      otrl_privkey_verify: "good" or "bad"
 *   crypto-kat dh OURX THEIRY MESSAGE CTRTOP
 *                                      otrl_dh_compute_v2_auth_keys and
 *                                      otrl_dh_session for our exponent and
 *                                      their public value; the AES keys are
 *                                      shown through keystreams (libotr keeps
 *                                      them inside cipher handles), the MAC
 *                                      keys m1.. through HMACs over MESSAGE
 *
 * Build: gcc -o crypto-kat crypto-kat.c $(pkg-config --cflags --libs libotr) -lgcrypt
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/privkey.h>
#include <libotr/dh.h>

#define ACCOUNT "alice@example.org"
#define PROTOCOL "sotto"
#define KEYSTREAM_BYTES 32

/* RFC 3526 group 5 (the OTR DH group) and its generator. */
static const char *MODP_HEX =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF";

static void die(const char *what, gcry_error_t err)
{
    fprintf(stderr, "crypto-kat: %s: %s\n", what, gcry_strerror(err));
    exit(1);
}

static void print_hex(const char *name, const unsigned char *bytes, size_t len)
{
    printf("%s: ", name);
    for (size_t i = 0; i < len; i++) printf("%02x", bytes[i]);
    printf("\n");
}

/* Decodes a hex argument; *len gets the byte count. */
static unsigned char *from_hex(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    if (n % 2) {
        fprintf(stderr, "crypto-kat: odd-length hex\n");
        exit(1);
    }
    unsigned char *out = malloc(n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++) {
        unsigned int byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            fprintf(stderr, "crypto-kat: bad hex\n");
            exit(1);
        }
        out[i] = (unsigned char)byte;
    }
    *len = n / 2;
    return out;
}

static gcry_mpi_t mpi_from_hex(const char *hex)
{
    size_t len;
    unsigned char *bytes = from_hex(hex, &len);
    gcry_mpi_t value;
    gcry_error_t err = gcry_mpi_scan(&value, GCRYMPI_FMT_USG, bytes, len, NULL);
    free(bytes);
    if (err) die("mpi", err);
    return value;
}

static void print_mpi(const char *name, gcry_mpi_t value)
{
    unsigned char *bytes;
    size_t len;
    gcry_error_t err = gcry_mpi_aprint(GCRYMPI_FMT_USG, &bytes, &len, value);
    if (err) die("print", err);
    print_hex(name, bytes, len);
    gcry_free(bytes);
}

static OtrlPrivKey *load(OtrlUserState us, const char *file)
{
    gcry_error_t err = otrl_privkey_read(us, file);
    if (err) die("otrl_privkey_read", err);
    OtrlPrivKey *key = otrl_privkey_find(us, ACCOUNT, PROTOCOL);
    if (!key) {
        fprintf(stderr, "crypto-kat: no key for %s/%s\n", ACCOUNT, PROTOCOL);
        exit(1);
    }
    return key;
}

static void info(OtrlUserState us, const char *file)
{
    OtrlPrivKey *key = load(us, file);
    gcry_sexp_t dsa = gcry_sexp_find_token(key->privkey, "dsa", 0);
    const char *names[] = {"p", "q", "g", "y", "x"};
    for (int i = 0; i < 5; i++) {
        gcry_sexp_t part = gcry_sexp_find_token(dsa, names[i], 0);
        gcry_mpi_t value = gcry_sexp_nth_mpi(part, 1, GCRYMPI_FMT_USG);
        print_mpi(names[i], value);
        gcry_mpi_release(value);
        gcry_sexp_release(part);
    }
    gcry_sexp_release(dsa);
    unsigned char raw[20];
    char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
    if (!otrl_privkey_fingerprint_raw(us, raw, ACCOUNT, PROTOCOL)) die("fingerprint_raw", 0);
    if (!otrl_privkey_fingerprint(us, human, ACCOUNT, PROTOCOL)) die("fingerprint", 0);
    print_hex("fingerprint", raw, sizeof raw);
    printf("human: %s\n", human);
}

static void sign(OtrlUserState us, const char *file, const char *digest_hex)
{
    OtrlPrivKey *key = load(us, file);
    size_t len;
    unsigned char *digest = from_hex(digest_hex, &len);
    unsigned char *sig;
    size_t siglen;
    gcry_error_t err = otrl_privkey_sign(&sig, &siglen, key, digest, len);
    if (err) die("otrl_privkey_sign", err);
    print_hex("signature", sig, siglen);
    free(sig);
    free(digest);
}

static void verify(char **argv)
{
    gcry_mpi_t p = mpi_from_hex(argv[0]), q = mpi_from_hex(argv[1]);
    gcry_mpi_t g = mpi_from_hex(argv[2]), y = mpi_from_hex(argv[3]);
    gcry_sexp_t pub;
    gcry_error_t err = gcry_sexp_build(&pub, NULL, "(public-key (dsa (p %m)(q %m)(g %m)(y %m)))", p, q, g, y);
    if (err) die("sexp", err);
    size_t len, siglen;
    unsigned char *digest = from_hex(argv[4], &len);
    unsigned char *sig = from_hex(argv[5], &siglen);
    err = otrl_privkey_verify(sig, siglen, OTRL_PUBKEY_TYPE_DSA, pub, digest, len);
    printf("verify: %s\n", err ? "bad" : "good");
    gcry_sexp_release(pub);
    gcry_mpi_release(p);
    gcry_mpi_release(q);
    gcry_mpi_release(g);
    gcry_mpi_release(y);
    free(digest);
    free(sig);
}

/* AES-CTR keystream of a cipher handle from the given 16-byte counter block. */
static void keystream(const char *name, gcry_cipher_hd_t cipher, const unsigned char ctr[16])
{
    unsigned char block[KEYSTREAM_BYTES] = {0};
    gcry_error_t err = gcry_cipher_setctr(cipher, ctr, 16);
    if (!err) err = gcry_cipher_encrypt(cipher, block, sizeof block, NULL, 0);
    if (err) die("keystream", err);
    print_hex(name, block, sizeof block);
}

/* HMAC of MESSAGE with a keyed MAC handle. */
static void mac(const char *name, gcry_md_hd_t md, const unsigned char *message, size_t len)
{
    gcry_md_reset(md);
    gcry_md_write(md, message, len);
    print_hex(name, gcry_md_read(md, 0), gcry_md_get_algo_dlen(gcry_md_get_algo(md)));
}

static void dh(char **argv)
{
    DH_keypair ours;
    otrl_dh_keypair_init(&ours);
    ours.groupid = DH1536_GROUP_ID;
    ours.priv = mpi_from_hex(argv[0]);
    gcry_mpi_t modulus, generator = gcry_mpi_set_ui(NULL, 2);
    gcry_error_t err = gcry_mpi_scan(&modulus, GCRYMPI_FMT_HEX, MODP_HEX, 0, NULL);
    if (err) die("modulus", err);
    ours.pub = gcry_mpi_new(1536);
    gcry_mpi_powm(ours.pub, generator, ours.priv, modulus);
    print_mpi("ourPublic", ours.pub);
    gcry_mpi_t theirs = mpi_from_hex(argv[1]);
    size_t message_len, top_len;
    unsigned char *message = from_hex(argv[2], &message_len);
    unsigned char *top = from_hex(argv[3], &top_len);

    unsigned char ssid[32];
    size_t ssid_len = 0;
    gcry_cipher_hd_t c, c_prime;
    gcry_md_hd_t m1, m1_prime, m2, m2_prime;
    err = otrl_dh_compute_v2_auth_keys(&ours, theirs, ssid, &ssid_len, &c, &c_prime, &m1, &m1_prime, &m2, &m2_prime);
    if (err) {
        /* libotr refuses a public value outside [2, p-2]. */
        printf("akeKeys: rejected\n");
    } else {
        unsigned char zero[16] = {0};
        printf("akeKeys: accepted\n");
        print_hex("ssid", ssid, ssid_len);
        keystream("cKeystream", c, zero);
        keystream("cPrimeKeystream", c_prime, zero);
        mac("m1Mac", m1, message, message_len);
        mac("m2Mac", m2, message, message_len);
        mac("m1PrimeMac", m1_prime, message, message_len);
        mac("m2PrimeMac", m2_prime, message, message_len);
        gcry_cipher_close(c);
        gcry_cipher_close(c_prime);
        gcry_md_close(m1);
        gcry_md_close(m2);
        gcry_md_close(m1_prime);
        gcry_md_close(m2_prime);

        DH_sesskeys sess;
        err = otrl_dh_session(&sess, &ours, theirs);
        if (err) die("otrl_dh_session", err);
        unsigned char ctr[16] = {0};
        memcpy(ctr, top, top_len < 8 ? top_len : 8);
        keystream("sendingKeystream", sess.sendenc, ctr);
        keystream("receivingKeystream", sess.rcvenc, ctr);
        print_hex("sendingMacKey", sess.sendmackey, 20);
        print_hex("receivingMacKey", sess.rcvmackey, 20);
        print_hex("extraKey", sess.extrakey, OTRL_EXTRAKEY_BYTES);
        otrl_dh_session_free(&sess);
    }
    free(message);
    free(top);
    gcry_mpi_release(theirs);
    gcry_mpi_release(modulus);
    gcry_mpi_release(generator);
    otrl_dh_keypair_free(&ours);
}

int main(int argc, char **argv)
{
    OTRL_INIT;
    OtrlUserState us = otrl_userstate_create();
    if (argc == 3 && !strcmp(argv[1], "genkey")) {
        gcry_error_t err = otrl_privkey_generate(us, argv[2], ACCOUNT, PROTOCOL);
        if (err) die("otrl_privkey_generate", err);
        info(us, argv[2]);
    } else if (argc == 3 && !strcmp(argv[1], "info")) {
        info(us, argv[2]);
    } else if (argc == 4 && !strcmp(argv[1], "sign")) {
        sign(us, argv[2], argv[3]);
    } else if (argc == 8 && !strcmp(argv[1], "verify")) {
        verify(argv + 2);
    } else if (argc == 6 && !strcmp(argv[1], "dh")) {
        dh(argv + 2);
    } else {
        fprintf(stderr, "usage: see the comment at the top of crypto-kat.c\n");
        return 2;
    }
    otrl_userstate_free(us);
    return 0;
}
