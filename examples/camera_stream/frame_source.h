/* SPDX-License-Identifier: MIT */
/*
 * frame_source.h - a pretend camera: synthetic JPEG-sized frames produced
 * on the fly, byte for byte reproducible, handed out in small pieces.
 *
 * No frame is ever held in memory whole: byte i of frame n is a function
 * of (n, i), so the source can also seek (which lets the library resend a
 * failed part) and the download check can regenerate what it expects.
 */
#ifndef FRAME_SOURCE_H
#define FRAME_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"

typedef struct frame_source {
    uint32_t frame;   /* frame number: picks size and pattern */
    uint64_t size;    /* bytes in this frame */
    uint64_t pos;     /* next byte to hand out */
    size_t max_piece; /* most bytes per read, like a DMA chunk */
} frame_source;

/* A frame of a "JPEG" size between min and max bytes, varying per frame. */
void frame_source_init(frame_source *f, uint32_t frame, uint64_t min_size, uint64_t max_size,
                       size_t max_piece);
/* Byte i of the frame. */
uint8_t frame_byte(const frame_source *f, uint64_t i);
/* The fc_source reading this frame. */
fc_source frame_source_reader(frame_source *f);

#endif
