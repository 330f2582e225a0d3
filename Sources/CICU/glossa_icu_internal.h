// What the CICU files share and Swift does not see (this header is not under include/).
#ifndef GLOSSA_ICU_INTERNAL_H
#define GLOSSA_ICU_INTERNAL_H

#include "glossa_icu.h"
#include <unicode/utypes.h>
#include <unicode/unorm2.h>
#include <unicode/ubrk.h>
#include <stddef.h>
#include <stdint.h>

// MARK: Buffers and normalizers (glossa_icu.c)

/// Makes `*buffer` hold at least `needed` elements of `size` bytes. Returns 0 when out of memory.
int glossa_reserve(void **buffer, int32_t *capacity, int64_t needed, size_t size);

/// ICU's normalizer for a GLOSSA_NF* form; NULL and `*error` for an unknown form.
const UNormalizer2 *glossa_normalizer(int32_t form, UErrorCode *error);

// MARK: Word cache (glossa_word_cache.c)

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

glossa_word_cache *glossa_word_cache_open(void);
void glossa_word_cache_close(glossa_word_cache *c);
uint64_t glossa_hash_bytes(const uint8_t *p, int32_t n);
/// The entry for `key`, or NULL; `*slotOut` is where a new entry would go.
glossa_cache_entry *glossa_word_cache_find(glossa_word_cache *c, const uint8_t *key, int32_t n, uint64_t h, int32_t *slotOut);
/// Stores `key` -> the tokens `out`/`ends` hold from token `firstToken` to `lastToken` (excluded).
void glossa_word_cache_store(glossa_word_cache *c, int32_t slot, const uint8_t *key, int32_t n, uint64_t h,
                             const uint8_t *out, const int32_t *ends, int32_t firstToken, int32_t lastToken);

// MARK: The tokenizer (glossa_tokenizer.c)

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

/// Makes room for one token of at most `maxLength` UTF-8 bytes and returns where its bytes go
/// (NULL when out of memory); `glossa_end_token` then records its actual length.
uint8_t *glossa_begin_token(glossa_tokenizer *t, int64_t maxLength);
void glossa_end_token(glossa_tokenizer *t, int32_t length);

/// ASCII white space: space, tab, newline, vertical tab, form feed, return.
static inline int glossa_is_ascii_space(uint8_t c) { return c == ' ' || (c >= 9 && c <= 13); }

// MARK: ASCII fast path (glossa_ascii_rules.c)

/// Fills the ASCII tables once per process (called by glossa_tokenizer_open).
void glossa_ascii_tables(void);

/// Segments ASCII `text` exactly as the ICU path would after NFKC(-casefold) normalization, which
/// for ASCII only lowercases A-Z (when case folding); appends the tokens. 0 when out of memory.
int glossa_tokenize_ascii(glossa_tokenizer *t, const uint8_t *text, int32_t length);

#endif
