// Glossa's window on the system ICU (libicu-dev). No ICU type appears here, so Swift modules that
// import Foundation (which carries a private ICU of its own) can import this one too.
// ICU's C functions are macros for versioned names (ubrk_open -> ubrk_open_72); the functions below
// are plain names Swift can call. Text crosses the boundary as UTF-8 or UTF-16 code units.
#ifndef GLOSSA_ICU_H
#define GLOSSA_ICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The ICU version this binary runs with, such as "72.1".
const char *glossa_icu_version(void);

/// The text of an ICU error code (such as "U_ILLEGAL_ARGUMENT_ERROR").
const char *glossa_icu_error_name(int32_t status);

// MARK: Normalization

/// Normalization forms. NFKC_CASEFOLD is ICU's "nfkc_cf": NFKC, case folding and removal of
/// default-ignorable code points.
enum {
    GLOSSA_NFC = 0,
    GLOSSA_NFD = 1,
    GLOSSA_NFKC = 2,
    GLOSSA_NFKD = 3,
    GLOSSA_NFKC_CASEFOLD = 4,
};

/// Normalizes UTF-16 `source[0..<length]` into `destination` (capacity `capacity` code units).
/// Returns the normalized length; when it exceeds `capacity`, nothing useful was written and the
/// caller retries with a larger buffer. Returns -1 and sets `*status` to the ICU error otherwise.
int32_t glossa_normalize_utf16(int32_t form, const uint16_t *source, int32_t length,
                               uint16_t *destination, int32_t capacity, int32_t *status);

/// 1 when UTF-16 `source[0..<length]` is already in `form`, 0 when not, -1 on error.
int32_t glossa_is_normalized_utf16(int32_t form, const uint16_t *source, int32_t length, int32_t *status);

// MARK: Transliteration

/// An ICU transliterator such as "Any-Latin; Latin-ASCII". Not safe to use from two threads at once.
typedef struct glossa_transliterator glossa_transliterator;

/// Opens the transliterator with the given ICU id (UTF-16). Returns NULL and sets `*status` when
/// the id is unknown or malformed.
glossa_transliterator *glossa_transliterator_open(const uint16_t *id, int32_t idLength, int32_t *status);
void glossa_transliterator_close(glossa_transliterator *transliterator);

/// Transliterates UTF-16 `source[0..<length]`. Returns a pointer to the result (valid until the next
/// call on this transliterator) and its length in `*resultLength`; NULL on error.
const uint16_t *glossa_transliterate_utf16(glossa_transliterator *transliterator, const uint16_t *source,
                                           int32_t length, int32_t *resultLength, int32_t *status);

// MARK: Tokenization (normalize + segment + filter in one call, UTF-8 in and out)

enum {
    GLOSSA_TOKENIZE_ICU = 0,        // normalize, then ICU word segments
    GLOSSA_TOKENIZE_WHITESPACE = 1, // split on Unicode white space only, no normalization
};

/// A tokenizer with its own ICU iterator and buffers. Not safe to use from two threads at once;
/// open one per thread.
typedef struct glossa_tokenizer glossa_tokenizer;

/// Opens a tokenizer. `kind` is GLOSSA_TOKENIZE_ICU or _WHITESPACE; `form` a normalization form
/// (GLOSSA_NFKC_CASEFOLD, GLOSSA_NFKC, ... or -1 for none); `keepPunctuation` keeps every ICU
/// segment that is not only white space (otherwise only segments with a status other than NONE).
/// NULL and `*status` on error.
glossa_tokenizer *glossa_tokenizer_open(int32_t kind, int32_t form, int32_t keepPunctuation, int32_t *status);
void glossa_tokenizer_close(glossa_tokenizer *tokenizer);

/// Adds a protected token (UTF-8, no white space): where it occurs in the raw text it becomes one
/// token, unchanged.
void glossa_tokenizer_protect(glossa_tokenizer *tokenizer, const char *token, int32_t length);

/// Turns the ASCII fast path (an exact re-implementation of the ICU steps for ASCII-only text) on or
/// off; on by default. Tests switch it off to compare it with ICU.
void glossa_tokenizer_set_ascii_fast_path(glossa_tokenizer *tokenizer, int32_t enabled);

/// Tokenizes the valid UTF-8 text `text[0..<length]` (one line). Returns the number of tokens n;
/// `*bytes` points to the tokens' UTF-8 bytes back to back and `*ends` to n end offsets into it
/// (token i is bytes[ends[i-1] ..< ends[i]], ends[-1] = 0); both stay valid until the next call.
/// Returns -1 and sets `*status` on an ICU error.
int32_t glossa_tokenize_utf8(glossa_tokenizer *tokenizer, const uint8_t *text, int32_t length,
                             const uint8_t **bytes, const int32_t **ends, int32_t *status);

#ifdef __cplusplus
}
#endif
#endif
