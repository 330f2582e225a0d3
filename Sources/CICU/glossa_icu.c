#include "glossa_icu.h"
#include <unicode/uversion.h>
#include <stdio.h>

const char *glossa_icu_version(void) {
    static char text[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo info;
    u_getVersion(info);
    u_versionToString(info, text);
    return text;
}
