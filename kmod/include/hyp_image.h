/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How EL1 names the EL2 image: every symbol of kmod/hyp/ is prefixed with
 * __a64hyp_ at build time, so EL1 code can only reach one on purpose.
 * Such a name is a link-time address inside the module; EL2 runs a copy of
 * the image at its physical address (see kmod/el2.c, which declares the
 * symbols it uses).
 */
#ifndef A64_HYP_IMAGE_H
#define A64_HYP_IMAGE_H

#define hyp_symbol(sym)	__a64hyp_##sym

/* Offset of an EL2 symbol from the start of the image. */
#define hyp_offset(sym)	\
	((unsigned long)(hyp_symbol(sym) - hyp_symbol(hyp_image_start)))

#endif /* A64_HYP_IMAGE_H */
