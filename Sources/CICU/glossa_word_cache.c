// The tokenizer's word cache (see glossa_icu_internal.h): an open-addressing hash table from the
// bytes of a short non-ASCII part of a line to the tokens ICU made of it, in three flat arrays.
#include "glossa_icu_internal.h"
#include <stdlib.h>
#include <string.h>

glossa_word_cache *glossa_word_cache_open(void) {
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

void glossa_word_cache_close(glossa_word_cache *c) {
    if (!c) return;
    free(c->slots); free(c->entries); free(c->bytes); free(c->lengths); free(c);
}

uint64_t glossa_hash_bytes(const uint8_t *p, int32_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int32_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

/// The entry for `key`, or NULL; `*slotOut` is where a new entry would go.
glossa_cache_entry *glossa_word_cache_find(glossa_word_cache *c, const uint8_t *key, int32_t n,
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
void glossa_word_cache_store(glossa_word_cache *c, int32_t slot, const uint8_t *key, int32_t n, uint64_t h,
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
