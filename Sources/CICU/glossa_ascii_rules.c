// The ASCII fast path (see glossa_icu_internal.h): ICU 72's word break rules (UAX #29 with the
// root locale's changes) and NFKC case folding, re-implemented for ASCII-only text, where they
// reduce to a character class table and lowercasing A-Z. Tests check it against ICU itself.
#include "glossa_icu_internal.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/// UAX #29 word break classes of the ASCII characters (as ICU 72's word rules assign them).
enum { WB_OTHER, WB_CR, WB_LF, WB_NEWLINE, WB_SPACE, WB_LETTER, WB_NUMERIC, WB_MID_LETTER, WB_MID_NUM,
       WB_MID_NUM_LET, WB_SINGLE_QUOTE, WB_EXTEND_NUM_LET };

static uint8_t glossa_ascii_class[128];
static uint8_t glossa_ascii_lower[128];

static void glossa_fill_ascii_tables(void) {
    for (int c = 0; c < 128; c++) {
        uint8_t k = WB_OTHER;
        // ICU's root word rules add '@' to ALetter (e-mail addresses stay whole) and take ':' out of
        // MidLetter (CLDR root); both differ from plain UAX #29.
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@') k = WB_LETTER;
        else if (c >= '0' && c <= '9') k = WB_NUMERIC;
        else if (c == '\r') k = WB_CR;
        else if (c == '\n') k = WB_LF;
        else if (c == 0x0B || c == 0x0C) k = WB_NEWLINE;
        else if (c == ' ') k = WB_SPACE;
        else if (c == ',' || c == ';') k = WB_MID_NUM;
        else if (c == '.') k = WB_MID_NUM_LET;
        else if (c == '\'') k = WB_SINGLE_QUOTE;
        else if (c == '_') k = WB_EXTEND_NUM_LET;
        glossa_ascii_lower[c] = (uint8_t)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        glossa_ascii_class[c] = k;
    }
}

static pthread_once_t glossa_ascii_tables_once = PTHREAD_ONCE_INIT;

void glossa_ascii_tables(void) { pthread_once(&glossa_ascii_tables_once, glossa_fill_ascii_tables); }

/// Whether UAX #29 keeps characters i-1 and i of ASCII `k` (classes) in one segment.
static int glossa_ascii_joined(const uint8_t *k, int32_t length, int32_t i) {
    uint8_t a = k[i - 1], b = k[i];
    if (a == WB_CR && b == WB_LF) return 1;                                          // WB3
    if (a == WB_CR || a == WB_LF || a == WB_NEWLINE) return 0;                       // WB3a
    if (b == WB_CR || b == WB_LF || b == WB_NEWLINE) return 0;                       // WB3b
    if (a == WB_SPACE && b == WB_SPACE) return 1;                                    // WB3d
    if (a == WB_LETTER && b == WB_LETTER) return 1;                                  // WB5
    int bMidLetter = b == WB_MID_LETTER || b == WB_MID_NUM_LET || b == WB_SINGLE_QUOTE;
    if (a == WB_LETTER && bMidLetter && i + 1 < length && k[i + 1] == WB_LETTER) return 1;   // WB6
    int aMidLetter = a == WB_MID_LETTER || a == WB_MID_NUM_LET || a == WB_SINGLE_QUOTE;
    if (aMidLetter && b == WB_LETTER && i >= 2 && k[i - 2] == WB_LETTER) return 1;         // WB7
    if ((a == WB_NUMERIC || a == WB_LETTER) && (b == WB_NUMERIC || b == WB_LETTER)) return 1; // WB8-10
    int aMidNum = a == WB_MID_NUM || a == WB_MID_NUM_LET || a == WB_SINGLE_QUOTE;
    if (aMidNum && b == WB_NUMERIC && i >= 2 && k[i - 2] == WB_NUMERIC) return 1;          // WB11
    int bMidNum = b == WB_MID_NUM || b == WB_MID_NUM_LET || b == WB_SINGLE_QUOTE;
    if (a == WB_NUMERIC && bMidNum && i + 1 < length && k[i + 1] == WB_NUMERIC) return 1;   // WB12
    if ((a == WB_LETTER || a == WB_NUMERIC || a == WB_EXTEND_NUM_LET) && b == WB_EXTEND_NUM_LET) return 1; // WB13a
    if (a == WB_EXTEND_NUM_LET && (b == WB_LETTER || b == WB_NUMERIC)) return 1;           // WB13b
    return 0;                                                                              // WB999
}

/// Segments ASCII `text` exactly as the ICU path would after NFKC(-casefold) normalization, which
/// for ASCII only lowercases A-Z (when case folding).
int glossa_tokenize_ascii(glossa_tokenizer *t, const uint8_t *text, int32_t length) {
    uint8_t classes[256];
    uint8_t *k = length <= 256 ? classes : malloc((size_t)length);
    if (!k) return 0;
    for (int32_t i = 0; i < length; i++) k[i] = glossa_ascii_class[text[i]];
    int fold = t->form == GLOSSA_NFKC_CASEFOLD;
    int32_t start = 0;
    int ok = 1;
    for (int32_t i = 1; i <= length && ok; i++) {
        if (i < length && glossa_ascii_joined(k, length, i)) continue;
        // segment [start, i): its ICU status is NONE unless it holds a letter or digit, or is a run
        // of two or more '_' (rule 13a gives "__" the letter status).
        int word = 0, spaces = 1;
        for (int32_t j = start; j < i; j++) {
            if (k[j] == WB_LETTER || k[j] == WB_NUMERIC) word = 1;  // '@' counts: ICU gives it ALetter
            if (!glossa_is_ascii_space(text[j])) spaces = 0;
        }
        if (!word && i - start >= 2 && k[start] == WB_EXTEND_NUM_LET) word = 1;
        if (word || (t->keepPunctuation && !spaces)) {
            uint8_t *out = glossa_begin_token(t, i - start);
            if (!out) { ok = 0; break; }
            if (fold) for (int32_t j = start; j < i; j++) out[j - start] = glossa_ascii_lower[text[j]];
            else memcpy(out, text + start, (size_t)(i - start));
            glossa_end_token(t, i - start);
        }
        start = i;
    }
    if (k != classes) free(k);
    return ok;
}
