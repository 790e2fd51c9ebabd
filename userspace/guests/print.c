// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small printf: %s %c %d %i %u %x %p %%, the l and ll length modifiers and
 * a width, zero-padded if it starts with 0 (%08x).  One formatter writes
 * through a sink, either the UART or a bounded buffer.
 */
#include "guest.h"

struct sink {
	bool uart;		/* else the buffer */
	char *buf;
	size_t size;
	size_t len;		/* characters produced, written or not */
};

static void put(struct sink *s, char c)
{
	if (s->uart)
		uart_putc(c);
	else if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void put_number(struct sink *s, unsigned long long val, bool negative,
		       unsigned int base, unsigned int width, char pad)
{
	char digits[24];
	unsigned int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[val % base];
		val /= base;
	} while (val);
	if (negative && pad == '0')
		put(s, '-');
	for (; width > n + negative; width--)
		put(s, pad);
	if (negative && pad == ' ')
		put(s, '-');
	while (n)
		put(s, digits[--n]);
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		unsigned int width = 0, longs = 0;
		unsigned long long u;
		long long d;
		const char *str;
		char pad = ' ';

		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			if (longs >= 2)
				d = va_arg(ap, long long);
			else if (longs == 1)
				d = va_arg(ap, long);
			else
				d = va_arg(ap, int);
			u = d < 0 ? -(unsigned long long)d : (unsigned long long)d;
			put_number(s, u, d < 0, 10, width, pad);
			break;
		case 'u':
		case 'x':
			if (longs >= 2)
				u = va_arg(ap, unsigned long long);
			else if (longs == 1)
				u = va_arg(ap, unsigned long);
			else
				u = va_arg(ap, unsigned int);
			put_number(s, u, false, *fmt == 'u' ? 10 : 16, width, pad);
			break;
		case 'p':
			put(s, '0');
			put(s, 'x');
			put_number(s, (unsigned long)va_arg(ap, void *), false, 16, width, pad);
			break;
		case 'c':
			put(s, (char)va_arg(ap, int));
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			while (*str)
				put(s, *str++);
			break;
		case '%':
			put(s, '%');
			break;
		case '\0':
			return;
		default:		/* unknown: print it as written */
			put(s, '%');
			put(s, *fmt);
			break;
		}
	}
}

/**
 * vsnprintf() - format into a buffer
 * @buf: where to write, always NUL-terminated if @size > 0
 * @size: its size
 * @fmt: the format (see the top of this file)
 * @ap: the arguments
 *
 * Return: the length the full output would have, as in C99.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size };

	format(&s, fmt, ap);
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return s.len;
}

/**
 * snprintf() - format into a buffer
 * @buf: where to write, always NUL-terminated if @size > 0
 * @size: its size
 * @fmt: the format (see the top of this file)
 *
 * Return: the length the full output would have, as in C99.
 */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

/**
 * printf() - format onto the UART
 * @fmt: the format (see the top of this file)
 *
 * Return: the number of characters written.
 */
int printf(const char *fmt, ...)
{
	struct sink s = { .uart = true };
	va_list ap;

	va_start(ap, fmt);
	format(&s, fmt, ap);
	va_end(ap);
	return s.len;
}
