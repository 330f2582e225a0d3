// Glossa's window on the system ICU (libicu-dev). No ICU type appears here, so Swift modules that
// import Foundation (which carries a private ICU of its own) can import this one too.
#ifndef GLOSSA_ICU_H
#define GLOSSA_ICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The ICU version this binary runs with, such as "72.1".
const char *glossa_icu_version(void);

#ifdef __cplusplus
}
#endif
#endif
