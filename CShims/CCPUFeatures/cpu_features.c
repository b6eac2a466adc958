// The header's inline functions are the whole interface; a C target needs one
// source file.
#include "cpu_features.h"
