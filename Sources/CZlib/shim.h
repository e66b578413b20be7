#ifndef AST_CZLIB_SHIM_H
#define AST_CZLIB_SHIM_H
#include <zlib.h>
#endif
