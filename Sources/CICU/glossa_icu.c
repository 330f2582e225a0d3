// The system ICU behind plain C names (see include/glossa_icu.h). ICU's own names are macros for
// versioned symbols (ubrk_open -> ubrk_open_72), which Swift cannot call; these wrappers can be.
#include "glossa_icu.h"
#include <unicode/uversion.h>
#include <unicode/utypes.h>
#include <unicode/unorm2.h>
#include <unicode/ubrk.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

const char *glossa_icu_version(void) {
    static char text[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo info;
    u_getVersion(info);
    u_versionToString(info, text);
    return text;
}

const char *glossa_icu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }

// MARK: - Growable buffers

/// Makes `*buffer` hold at least `needed` elements of `size` bytes. Returns 0 when out of memory.
static int glossa_reserve(void **buffer, int32_t *capacity, int64_t needed, size_t size) {
    if (needed <= *capacity) return 1;
    int64_t next = *capacity > 0 ? *capacity : 64;
    while (next < needed) next *= 2;
    if (next > INT32_MAX) next = INT32_MAX;
    if (next < needed) return 0;
    void *grown = realloc(*buffer, (size_t)next * size);
    if (!grown) return 0;
    *buffer = grown;
    *capacity = (int32_t)next;
    return 1;
}

// MARK: - Normalization

static const UNormalizer2 *glossa_normalizer(int32_t form, UErrorCode *error) {
    switch (form) {
    case GLOSSA_NFC: return unorm2_getNFCInstance(error);
    case GLOSSA_NFD: return unorm2_getNFDInstance(error);
    case GLOSSA_NFKC: return unorm2_getNFKCInstance(error);
    case GLOSSA_NFKD: return unorm2_getNFKDInstance(error);
    case GLOSSA_NFKC_CASEFOLD: return unorm2_getNFKCCasefoldInstance(error);
    default: *error = U_ILLEGAL_ARGUMENT_ERROR; return NULL;
    }
}

int32_t glossa_normalize_utf16(int32_t form, const uint16_t *source, int32_t length,
                               uint16_t *destination, int32_t capacity, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = glossa_normalizer(form, &error);
    if (U_FAILURE(error)) { *status = error; return -1; }
    int32_t result = unorm2_normalize(normalizer, source, length, destination, capacity, &error);
    if (error == U_BUFFER_OVERFLOW_ERROR || error == U_STRING_NOT_TERMINATED_WARNING) error = U_ZERO_ERROR;
    if (U_FAILURE(error)) { *status = error; return -1; }
    *status = 0;
    return result;
}

int32_t glossa_is_normalized_utf16(int32_t form, const uint16_t *source, int32_t length, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = glossa_normalizer(form, &error);
    if (U_FAILURE(error)) { *status = error; return -1; }
    UBool yes = unorm2_isNormalized(normalizer, source, length, &error);
    if (U_FAILURE(error)) { *status = error; return -1; }
    *status = 0;
    return yes ? 1 : 0;
}

// MARK: - Transliteration

struct glossa_transliterator {
    UTransliterator *icu;
    UChar *buffer;
    int32_t capacity;
};

glossa_transliterator *glossa_transliterator_open(const uint16_t *id, int32_t idLength, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    UParseError parse;
    UTransliterator *icu = utrans_openU(id, idLength, UTRANS_FORWARD, NULL, 0, &parse, &error);
    if (U_FAILURE(error) || !icu) { *status = U_FAILURE(error) ? error : U_ILLEGAL_ARGUMENT_ERROR; return NULL; }
    glossa_transliterator *result = calloc(1, sizeof *result);
    if (!result) { utrans_close(icu); *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    result->icu = icu;
    *status = 0;
    return result;
}

void glossa_transliterator_close(glossa_transliterator *transliterator) {
    if (!transliterator) return;
    utrans_close(transliterator->icu);
    free(transliterator->buffer);
    free(transliterator);
}

const uint16_t *glossa_transliterate_utf16(glossa_transliterator *t, const uint16_t *source,
                                           int32_t length, int32_t *resultLength, int32_t *status) {
    int64_t want = (int64_t)length * 2 + 16;
    for (int attempt = 0; attempt < 8; attempt++) {
        if (!glossa_reserve((void **)&t->buffer, &t->capacity, want, sizeof(UChar))) {
            *status = U_MEMORY_ALLOCATION_ERROR;
            return NULL;
        }
        if (length > 0) memcpy(t->buffer, source, (size_t)length * sizeof(UChar));
        UErrorCode error = U_ZERO_ERROR;
        int32_t textLength = length, limit = length;
        utrans_transUChars(t->icu, t->buffer, &textLength, t->capacity, 0, &limit, &error);
        if (error == U_BUFFER_OVERFLOW_ERROR) {
            want = (textLength > t->capacity ? textLength : (int64_t)t->capacity) * 2;
            continue;
        }
        if (U_FAILURE(error)) { *status = error; return NULL; }
        *status = 0;
        *resultLength = textLength;
        return t->buffer;
    }
    *status = U_BUFFER_OVERFLOW_ERROR;
    return NULL;
}

// MARK: - Word segmentation

struct glossa_word_breaker {
    UBreakIterator *icu;
    int32_t *boundaries;
    int32_t boundaryCapacity;
    int32_t *statuses;
    int32_t statusCapacity;
};

glossa_word_breaker *glossa_word_breaker_open(const char *locale, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    UBreakIterator *icu = ubrk_open(UBRK_WORD, locale, NULL, 0, &error);
    if (U_FAILURE(error) || !icu) { *status = U_FAILURE(error) ? error : U_ILLEGAL_ARGUMENT_ERROR; return NULL; }
    glossa_word_breaker *result = calloc(1, sizeof *result);
    if (!result) { ubrk_close(icu); *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    result->icu = icu;
    *status = 0;
    return result;
}

void glossa_word_breaker_close(glossa_word_breaker *breaker) {
    if (!breaker) return;
    ubrk_close(breaker->icu);
    free(breaker->boundaries);
    free(breaker->statuses);
    free(breaker);
}

int32_t glossa_word_break_utf16(glossa_word_breaker *b, const uint16_t *text, int32_t length,
                                const int32_t **boundaries, const int32_t **statuses, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    ubrk_setText(b->icu, text, length, &error);
    if (U_FAILURE(error)) { *status = error; return -1; }
    int32_t count = 0;
    if (!glossa_reserve((void **)&b->boundaries, &b->boundaryCapacity, 1, sizeof(int32_t))) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return -1;
    }
    b->boundaries[0] = ubrk_first(b->icu);
    for (int32_t end = ubrk_next(b->icu); end != UBRK_DONE; end = ubrk_next(b->icu)) {
        if (!glossa_reserve((void **)&b->boundaries, &b->boundaryCapacity, count + 2, sizeof(int32_t)) ||
            !glossa_reserve((void **)&b->statuses, &b->statusCapacity, count + 1, sizeof(int32_t))) {
            *status = U_MEMORY_ALLOCATION_ERROR;
            return -1;
        }
        b->statuses[count] = ubrk_getRuleStatus(b->icu);
        b->boundaries[++count] = end;
    }
    ubrk_setText(b->icu, NULL, 0, &error);
    *boundaries = b->boundaries;
    *statuses = b->statuses;
    *status = 0;
    return count;
}

// MARK: - Tokenization

static void glossa_ascii_tables(void);

// MARK: Word cache

/// Remembers the tokens ICU made of short non-ASCII parts of lines (words such as "Männer" or "北京"
/// between white space), which natural text repeats. A part's tokens depend only on its bytes (see
/// glossa_tokenize_icu_piece), so the cache is exact. It is emptied when full.
typedef struct {
    uint64_t hash;
    int32_t keyOffset, keyLength;    // in bytes
    int32_t valueOffset, valueLength; // token bytes back to back, in bytes
    int32_t lengthsOffset, count;     // token lengths, in lengths
} glossa_cache_entry;

typedef struct glossa_word_cache {
    int32_t *slots;                   // entry index + 1, 0 when empty
    int32_t slotMask;
    glossa_cache_entry *entries;
    int32_t entryCount, entryLimit;
    uint8_t *bytes;
    int32_t byteCount, byteLimit;
    int32_t *lengths;
    int32_t lengthCount, lengthLimit;
} glossa_word_cache;

enum { GLOSSA_CACHE_MAX_KEY = 64 };

static glossa_word_cache *glossa_word_cache_open(void) {
    glossa_word_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->entryLimit = 1 << 16;
    c->slotMask = (1 << 17) - 1;
    c->byteLimit = 1 << 23;
    c->lengthLimit = 1 << 18;
    c->slots = calloc((size_t)c->slotMask + 1, sizeof(int32_t));
    c->entries = malloc(sizeof(glossa_cache_entry) * (size_t)c->entryLimit);
    c->bytes = malloc((size_t)c->byteLimit);
    c->lengths = malloc(sizeof(int32_t) * (size_t)c->lengthLimit);
    if (!c->slots || !c->entries || !c->bytes || !c->lengths) {
        free(c->slots); free(c->entries); free(c->bytes); free(c->lengths); free(c);
        return NULL;
    }
    return c;
}

static void glossa_word_cache_close(glossa_word_cache *c) {
    if (!c) return;
    free(c->slots); free(c->entries); free(c->bytes); free(c->lengths); free(c);
}

static uint64_t glossa_hash_bytes(const uint8_t *p, int32_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int32_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

/// The entry for `key`, or NULL; `*slotOut` is where a new entry would go.
static glossa_cache_entry *glossa_word_cache_find(glossa_word_cache *c, const uint8_t *key, int32_t n,
                                                  uint64_t h, int32_t *slotOut) {
    int32_t slot = (int32_t)(h & (uint64_t)c->slotMask);
    for (;;) {
        int32_t e = c->slots[slot];
        if (e == 0) { *slotOut = slot; return NULL; }
        glossa_cache_entry *entry = &c->entries[e - 1];
        if (entry->hash == h && entry->keyLength == n && memcmp(c->bytes + entry->keyOffset, key, (size_t)n) == 0) return entry;
        slot = (slot + 1) & c->slotMask;
    }
}

/// Stores `key` -> the tokens the tokenizer output holds from token `firstToken` on.
static void glossa_word_cache_store(glossa_word_cache *c, int32_t slot, const uint8_t *key, int32_t n, uint64_t h,
                                    const uint8_t *out, const int32_t *ends, int32_t firstToken, int32_t lastToken) {
    int32_t start = firstToken > 0 ? ends[firstToken - 1] : 0;
    int32_t valueLength = (lastToken > firstToken ? ends[lastToken - 1] : start) - start;
    int32_t count = lastToken - firstToken;
    if (c->entryCount + 1 > c->entryLimit || c->byteCount + n + valueLength > c->byteLimit ||
        c->lengthCount + count > c->lengthLimit) {
        memset(c->slots, 0, sizeof(int32_t) * ((size_t)c->slotMask + 1));  // full: start again
        c->entryCount = c->byteCount = c->lengthCount = 0;
        int32_t ignored;
        glossa_word_cache_find(c, key, n, h, &ignored);
        slot = ignored;
    }
    glossa_cache_entry *entry = &c->entries[c->entryCount];
    entry->hash = h;
    entry->keyOffset = c->byteCount;
    entry->keyLength = n;
    memcpy(c->bytes + c->byteCount, key, (size_t)n);
    c->byteCount += n;
    entry->valueOffset = c->byteCount;
    entry->valueLength = valueLength;
    memcpy(c->bytes + c->byteCount, out + start, (size_t)valueLength);
    c->byteCount += valueLength;
    entry->lengthsOffset = c->lengthCount;
    entry->count = count;
    for (int32_t i = firstToken; i < lastToken; i++)
        c->lengths[c->lengthCount++] = ends[i] - (i > 0 ? ends[i - 1] : 0);
    c->slots[slot] = ++c->entryCount;
}

struct glossa_tokenizer {
    int32_t kind;
    int32_t keepPunctuation;
    int32_t asciiFastPath;
    int32_t form;
    const UNormalizer2 *normalizer;  // NULL: no normalization
    UBreakIterator *breaker;

    uint8_t **protectedTokens;
    int32_t *protectedLengths;
    int32_t protectedCount;
    uint8_t protectedFirstByte[256];

    UChar *raw;          // the text piece in UTF-16
    int32_t rawCapacity;
    UChar *normalized;   // the piece after normalization
    int32_t normalizedCapacity;
    uint8_t *bytes;      // output: tokens back to back
    int32_t byteCount, byteCapacity;
    int32_t *ends;       // output: end offset of each token
    int32_t tokenCount, endCapacity;

    glossa_word_cache *cache;  // non-ASCII parts already tokenized by ICU (NULL: off)
};

glossa_tokenizer *glossa_tokenizer_open(int32_t kind, int32_t form, int32_t keepPunctuation, int32_t *status) {
    glossa_tokenizer *t = calloc(1, sizeof *t);
    if (!t) { *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    t->kind = kind;
    t->keepPunctuation = keepPunctuation;
    t->asciiFastPath = 1;
    t->form = form;
    glossa_ascii_tables();
    if (kind == GLOSSA_TOKENIZE_ICU) t->cache = glossa_word_cache_open();  // NULL (no cache) if out of memory
    UErrorCode error = U_ZERO_ERROR;
    if (kind == GLOSSA_TOKENIZE_ICU) {
        if (form >= 0) {
            t->normalizer = glossa_normalizer(form, &error);
            if (U_FAILURE(error)) { free(t); *status = error; return NULL; }
        }
        t->breaker = ubrk_open(UBRK_WORD, "", NULL, 0, &error);
        if (U_FAILURE(error)) { free(t); *status = error; return NULL; }
    } else if (kind != GLOSSA_TOKENIZE_WHITESPACE) {
        free(t);
        *status = U_ILLEGAL_ARGUMENT_ERROR;
        return NULL;
    }
    *status = 0;
    return t;
}

void glossa_tokenizer_close(glossa_tokenizer *t) {
    if (!t) return;
    glossa_word_cache_close(t->cache);
    if (t->breaker) ubrk_close(t->breaker);
    for (int32_t i = 0; i < t->protectedCount; i++) free(t->protectedTokens[i]);
    free(t->protectedTokens);
    free(t->protectedLengths);
    free(t->raw);
    free(t->normalized);
    free(t->bytes);
    free(t->ends);
    free(t);
}

void glossa_tokenizer_protect(glossa_tokenizer *t, const char *token, int32_t length) {
    if (length <= 0) return;
    for (int32_t i = 0; i < t->protectedCount; i++)
        if (t->protectedLengths[i] == length && memcmp(t->protectedTokens[i], token, (size_t)length) == 0) return;
    uint8_t **tokens = realloc(t->protectedTokens, sizeof(uint8_t *) * (size_t)(t->protectedCount + 1));
    if (!tokens) return;
    t->protectedTokens = tokens;
    int32_t *lengths = realloc(t->protectedLengths, sizeof(int32_t) * (size_t)(t->protectedCount + 1));
    if (!lengths) return;
    t->protectedLengths = lengths;
    uint8_t *copy = malloc((size_t)length);
    if (!copy) return;
    memcpy(copy, token, (size_t)length);
    // Longer tokens first, so that "<unk2>" wins over "<unk" when both are protected.
    int32_t at = t->protectedCount;
    while (at > 0 && t->protectedLengths[at - 1] < length) {
        t->protectedTokens[at] = t->protectedTokens[at - 1];
        t->protectedLengths[at] = t->protectedLengths[at - 1];
        at--;
    }
    t->protectedTokens[at] = copy;
    t->protectedLengths[at] = length;
    t->protectedCount++;
    t->protectedFirstByte[(uint8_t)token[0]] = 1;
}

void glossa_tokenizer_set_ascii_fast_path(glossa_tokenizer *t, int32_t enabled) {
    t->asciiFastPath = enabled;
    if (!enabled) { glossa_word_cache_close(t->cache); t->cache = NULL; }
}

/// Appends one token of `length` UTF-8 bytes (NULL: reserve only) and returns where its bytes go.
static uint8_t *glossa_begin_token(glossa_tokenizer *t, int64_t maxLength) {
    if (!glossa_reserve((void **)&t->bytes, &t->byteCapacity, t->byteCount + maxLength, 1)) return NULL;
    if (!glossa_reserve((void **)&t->ends, &t->endCapacity, (int64_t)t->tokenCount + 1, sizeof(int32_t))) return NULL;
    return t->bytes + t->byteCount;
}

static void glossa_end_token(glossa_tokenizer *t, int32_t length) {
    t->byteCount += length;
    t->ends[t->tokenCount++] = t->byteCount;
}

static int glossa_append_utf8(glossa_tokenizer *t, const uint8_t *text, int32_t length) {
    uint8_t *out = glossa_begin_token(t, length);
    if (!out) return 0;
    memcpy(out, text, (size_t)length);
    glossa_end_token(t, length);
    return 1;
}

/// Appends UTF-16 `text[0..<length]` as one UTF-8 token.
static int glossa_append_utf16(glossa_tokenizer *t, const UChar *text, int32_t length) {
    uint8_t *out = glossa_begin_token(t, (int64_t)length * 3);
    if (!out) return 0;
    uint8_t *start = out;
    for (int32_t i = 0; i < length; i++) {
        uint32_t c = text[i];
        if (c < 0x80) { *out++ = (uint8_t)c; continue; }
        if (c < 0x800) { *out++ = (uint8_t)(0xC0 | (c >> 6)); *out++ = (uint8_t)(0x80 | (c & 0x3F)); continue; }
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < length && text[i + 1] >= 0xDC00 && text[i + 1] < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (text[++i] - 0xDC00);
            *out++ = (uint8_t)(0xF0 | (c >> 18));
            *out++ = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
            *out++ = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            *out++ = (uint8_t)(0x80 | (c & 0x3F));
            continue;
        }
        if (c >= 0xD800 && c < 0xE000) c = 0xFFFD;  // a lone surrogate cannot come from valid UTF-8
        *out++ = (uint8_t)(0xE0 | (c >> 12));
        *out++ = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        *out++ = (uint8_t)(0x80 | (c & 0x3F));
    }
    glossa_end_token(t, (int32_t)(out - start));
    return 1;
}

/// Decodes the code point at text[*i] (valid UTF-8) and advances *i past it.
static uint32_t glossa_decode_utf8(const uint8_t *text, int32_t length, int32_t *i) {
    uint32_t c = text[(*i)++];
    if (c < 0x80) return c;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : 0x1F;
    while (extra-- > 0 && *i < length) c = (c << 6) | (text[(*i)++] & 0x3F);
    return c;
}

static int glossa_is_ascii_space(uint8_t c) { return c == ' ' || (c >= 9 && c <= 13); }

/// Splits on Unicode White_Space (ASCII tab, newline, vertical tab, form feed, return and space;
/// U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
static int glossa_split_whitespace(glossa_tokenizer *t, const uint8_t *text, int32_t length) {
    int32_t i = 0, start = -1;
    while (i < length) {
        int32_t at = i;
        uint8_t byte = text[i];
        int space;
        if (byte < 0x80) { space = glossa_is_ascii_space(byte); i++; }
        else space = u_isUWhiteSpace((UChar32)glossa_decode_utf8(text, length, &i));
        if (space) {
            if (start >= 0 && !glossa_append_utf8(t, text + start, at - start)) return 0;
            start = -1;
        } else if (start < 0) start = at;
    }
    if (start >= 0 && !glossa_append_utf8(t, text + start, length - start)) return 0;
    return 1;
}

// MARK: ASCII fast path

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

/// Fills the ASCII tables once per process (called by glossa_tokenizer_open).
static void glossa_ascii_tables(void) { pthread_once(&glossa_ascii_tables_once, glossa_fill_ascii_tables); }

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
static int glossa_tokenize_ascii(glossa_tokenizer *t, const uint8_t *text, int32_t length) {
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

// MARK: ICU path

static int glossa_tokenize_icu_only(glossa_tokenizer *t, const uint8_t *text, int32_t length, int32_t *status);

/// A non-ASCII part of a line through the word cache, or ICU on a miss.
static int glossa_tokenize_cached(glossa_tokenizer *t, const uint8_t *text, int32_t length, int32_t *status) {
    glossa_word_cache *c = t->cache;
    if (!c || length > GLOSSA_CACHE_MAX_KEY) return glossa_tokenize_icu_only(t, text, length, status);
    uint64_t h = glossa_hash_bytes(text, length);
    int32_t slot;
    glossa_cache_entry *entry = glossa_word_cache_find(c, text, length, h, &slot);
    if (entry) {
        const uint8_t *value = c->bytes + entry->valueOffset;
        for (int32_t i = 0; i < entry->count; i++) {
            int32_t n = c->lengths[entry->lengthsOffset + i];
            if (!glossa_append_utf8(t, value, n)) { *status = U_MEMORY_ALLOCATION_ERROR; return 0; }
            value += n;
        }
        return 1;
    }
    int32_t firstToken = t->tokenCount;
    if (!glossa_tokenize_icu_only(t, text, length, status)) return 0;
    glossa_word_cache_store(c, slot, text, length, h, t->bytes, t->ends, firstToken, t->tokenCount);
    return 1;
}

/// Tokenizes a piece of the line. With the fast path on, the piece is cut at ASCII white space that
/// is followed by an ASCII character (or the end): UAX #29 always breaks on both sides of such a
/// space (no Extend or Format character follows it), and normalization has a boundary there, so
/// each part gives the same tokens alone as in the whole. ASCII parts take the ASCII path, the rest
/// (words with accents, CJK runs, ...) ICU's.
static int glossa_tokenize_icu_piece(glossa_tokenizer *t, const uint8_t *text, int32_t length, int32_t *status) {
    if (length == 0) return 1;
    if (!t->asciiFastPath || !(t->form == GLOSSA_NFKC_CASEFOLD || t->form == GLOSSA_NFKC || t->form == GLOSSA_NFC || t->form < 0))
        return glossa_tokenize_icu_only(t, text, length, status);
    int32_t start = 0;
    int ascii = 1;
    for (int32_t i = 0; i <= length; i++) {
        if (i == length || (glossa_is_ascii_space(text[i]) && (i + 1 == length || text[i + 1] < 0x80))) {
            if (i > start) {
                int ok = ascii ? glossa_tokenize_ascii(t, text + start, i - start)
                               : glossa_tokenize_cached(t, text + start, i - start, status);
                if (!ok) { if (*status == 0) *status = U_MEMORY_ALLOCATION_ERROR; return 0; }
            }
            start = i + 1;
            ascii = 1;
        } else if (text[i] >= 0x80) {
            ascii = 0;
        }
    }
    return 1;
}

static int glossa_tokenize_icu_only(glossa_tokenizer *t, const uint8_t *text, int32_t length, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    if (!glossa_reserve((void **)&t->raw, &t->rawCapacity, (int64_t)length + 1, sizeof(UChar))) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
    int32_t rawLength = 0;
    u_strFromUTF8WithSub(t->raw, t->rawCapacity, &rawLength, (const char *)text, length, 0xFFFD, NULL, &error);
    if (U_FAILURE(error)) { *status = error; return 0; }

    const UChar *segmented = t->raw;
    int32_t segmentedLength = rawLength;
    if (t->normalizer) {
        int32_t span = unorm2_spanQuickCheckYes(t->normalizer, t->raw, rawLength, &error);
        if (U_FAILURE(error)) { *status = error; return 0; }
        if (span < rawLength) {
            int64_t want = (int64_t)rawLength * 2 + 16;
            for (;;) {
                if (!glossa_reserve((void **)&t->normalized, &t->normalizedCapacity, want, sizeof(UChar))) {
                    *status = U_MEMORY_ALLOCATION_ERROR;
                    return 0;
                }
                memcpy(t->normalized, t->raw, (size_t)span * sizeof(UChar));
                error = U_ZERO_ERROR;
                int32_t n = unorm2_normalizeSecondAndAppend(t->normalizer, t->normalized, span, t->normalizedCapacity,
                                                            t->raw + span, rawLength - span, &error);
                if (error == U_BUFFER_OVERFLOW_ERROR) { want = (int64_t)n + 16; continue; }
                if (U_FAILURE(error) && error != U_STRING_NOT_TERMINATED_WARNING) { *status = error; return 0; }
                segmented = t->normalized;
                segmentedLength = n;
                break;
            }
        }
    }
    error = U_ZERO_ERROR;
    ubrk_setText(t->breaker, segmented, segmentedLength, &error);
    if (U_FAILURE(error)) { *status = error; return 0; }
    int32_t start = ubrk_first(t->breaker);
    for (int32_t end = ubrk_next(t->breaker); end != UBRK_DONE; start = end, end = ubrk_next(t->breaker)) {
        int32_t rule = ubrk_getRuleStatus(t->breaker);
        int keep = !(rule >= UBRK_WORD_NONE && rule < UBRK_WORD_NONE_LIMIT);
        if (!keep && t->keepPunctuation) {
            for (int32_t j = start; j < end; j++) {
                UChar32 c = segmented[j];
                if (U16_IS_LEAD(c) && j + 1 < end && U16_IS_TRAIL(segmented[j + 1])) c = U16_GET_SUPPLEMENTARY(c, segmented[++j]);
                if (!u_isUWhiteSpace(c)) { keep = 1; break; }
            }
        }
        if (keep && !glossa_append_utf16(t, segmented + start, end - start)) {
            *status = U_MEMORY_ALLOCATION_ERROR;
            ubrk_setText(t->breaker, NULL, 0, &error);
            return 0;
        }
    }
    error = U_ZERO_ERROR;
    ubrk_setText(t->breaker, NULL, 0, &error);
    return 1;
}

int32_t glossa_tokenize_utf8(glossa_tokenizer *t, const uint8_t *text, int32_t length,
                             const uint8_t **bytes, const int32_t **ends, int32_t *status) {
    t->byteCount = 0;
    t->tokenCount = 0;
    *status = 0;
    if (!glossa_reserve((void **)&t->bytes, &t->byteCapacity, 1, 1) ||
        !glossa_reserve((void **)&t->ends, &t->endCapacity, 1, sizeof(int32_t))) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return -1;
    }
    int ok = 1;
    if (t->kind == GLOSSA_TOKENIZE_WHITESPACE) {
        ok = glossa_split_whitespace(t, text, length);
        if (!ok) *status = U_MEMORY_ALLOCATION_ERROR;
    } else if (t->protectedCount == 0) {
        ok = glossa_tokenize_icu_piece(t, text, length, status);
    } else {
        int32_t pieceStart = 0, i = 0;
        while (i < length && ok) {
            if (t->protectedFirstByte[text[i]]) {
                int32_t matched = 0;
                for (int32_t p = 0; p < t->protectedCount; p++) {
                    int32_t n = t->protectedLengths[p];
                    if (n <= length - i && memcmp(text + i, t->protectedTokens[p], (size_t)n) == 0) { matched = n; break; }
                }
                if (matched) {
                    ok = glossa_tokenize_icu_piece(t, text + pieceStart, i - pieceStart, status) &&
                         glossa_append_utf8(t, text + i, matched);
                    if (!ok && *status == 0) *status = U_MEMORY_ALLOCATION_ERROR;
                    i += matched;
                    pieceStart = i;
                    continue;
                }
            }
            i++;
        }
        if (ok) ok = glossa_tokenize_icu_piece(t, text + pieceStart, length - pieceStart, status);
    }
    if (!ok) return -1;
    *bytes = t->bytes;
    *ends = t->ends;
    return t->tokenCount;
}
