// The system ICU behind plain C names (see include/glossa_icu.h). ICU's own names are macros for
// versioned symbols (ubrk_open -> ubrk_open_72), which Swift cannot call; these wrappers can be.
#include "glossa_icu.h"
#include "glossa_icu_internal.h"
#include <unicode/uversion.h>
#include <unicode/utypes.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>
#include <stdlib.h>
#include <string.h>

const char *glossa_icu_version(void) {
    static char text[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo info;
    u_getVersion(info);
    u_versionToString(info, text);
    return text;
}

const char *glossa_icu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }

// MARK: - Growable buffers

int glossa_reserve(void **buffer, int32_t *capacity, int64_t needed, size_t size) {
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

const UNormalizer2 *glossa_normalizer(int32_t form, UErrorCode *error) {
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
