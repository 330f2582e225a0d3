// The tokenizer driver (see include/glossa_icu.h): whitespace splitting, protected tokens, the
// ASCII fast path and the word cache in front of ICU's normalizer and word break iterator, and the
// filter that decides which segments are tokens.
#include "glossa_icu.h"
#include "glossa_icu_internal.h"
#include <unicode/ubrk.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>
#include <stdlib.h>
#include <string.h>

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
            if (U_FAILURE(error)) { glossa_tokenizer_close(t); *status = error; return NULL; }
        }
        t->breaker = ubrk_open(UBRK_WORD, "", NULL, 0, &error);
        if (U_FAILURE(error)) { glossa_tokenizer_close(t); *status = error; return NULL; }
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

uint8_t *glossa_begin_token(glossa_tokenizer *t, int64_t maxLength) {
    if (!glossa_reserve((void **)&t->bytes, &t->byteCapacity, t->byteCount + maxLength, 1)) return NULL;
    if (!glossa_reserve((void **)&t->ends, &t->endCapacity, (int64_t)t->tokenCount + 1, sizeof(int32_t))) return NULL;
    return t->bytes + t->byteCount;
}

void glossa_end_token(glossa_tokenizer *t, int32_t length) {
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

/// Appends the runs of a segment between its White_Space characters as tokens: a token never holds
/// white space. Segments rarely have any, but under UAX #29 rule WB4 a combining mark joins the
/// white space before it (" \u0301" is one segment, and so is " \u0301 \u0301"); such a segment
/// gives its marks. A segment that is only white space gives nothing.
static int glossa_append_without_white_space(glossa_tokenizer *t, const UChar *segment, int32_t length) {
    int32_t runStart = -1;
    for (int32_t i = 0; i < length;) {
        int32_t at = i;
        UChar32 c;
        U16_NEXT(segment, i, length, c);
        if (u_isUWhiteSpace(c)) {
            if (runStart >= 0 && !glossa_append_utf16(t, segment + runStart, at - runStart)) return 0;
            runStart = -1;
        } else if (runStart < 0) {
            runStart = at;
        }
    }
    return runStart < 0 || glossa_append_utf16(t, segment + runStart, length - runStart);
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
        int word = !(rule >= UBRK_WORD_NONE && rule < UBRK_WORD_NONE_LIMIT);
        if (!word && !t->keepPunctuation) continue;
        if (!glossa_append_without_white_space(t, segmented + start, end - start)) {
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
