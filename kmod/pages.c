// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page allocation with accounting: every page a64vcpu takes from the page
 * allocator goes through here, so that a leak shows as a non-zero count in
 * debugfs while loaded and in the unload message.
 */
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "a64vcpu.h"

static atomic_long_t pages_in_use = ATOMIC_LONG_INIT(0);

/**
 * a64_page_alloc() - allocate one zeroed page
 *
 * Return: its kernel address, or NULL.
 */
void *a64_page_alloc(void)
{
	void *p = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

	if (p)
		atomic_long_inc(&pages_in_use);
	return p;
}

/**
 * a64_page_free() - free a page from a64_page_alloc()
 * @page: its kernel address; NULL is ignored
 */
void a64_page_free(void *page)
{
	if (!page)
		return;
	free_page((unsigned long)page);
	atomic_long_dec(&pages_in_use);
}

/**
 * a64_pages_alloc_exact() - allocate zeroed, physically contiguous pages
 * @size: bytes, rounded up to whole pages
 *
 * Return: the kernel address of the first page, or NULL.
 */
void *a64_pages_alloc_exact(size_t size)
{
	void *p = alloc_pages_exact(size, GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (p)
		atomic_long_add(PAGE_ALIGN(size) >> PAGE_SHIFT, &pages_in_use);
	return p;
}

/**
 * a64_pages_free_exact() - free pages from a64_pages_alloc_exact()
 * @addr: the kernel address it returned; NULL is ignored
 * @size: the size passed to it
 */
void a64_pages_free_exact(void *addr, size_t size)
{
	if (!addr)
		return;
	free_pages_exact(addr, size);
	atomic_long_sub(PAGE_ALIGN(size) >> PAGE_SHIFT, &pages_in_use);
}

/**
 * a64_pages_in_use() - pages currently allocated by the module
 *
 * Return: the count.
 */
long a64_pages_in_use(void)
{
	return atomic_long_read(&pages_in_use);
}

/**
 * a64_pages_alloc_order() - allocate 2^@order zeroed pages, naturally aligned
 * @order: allocation order
 *
 * Return: the kernel address of the first page, or NULL.
 */
void *a64_pages_alloc_order(unsigned int order)
{
	void *p = (void *)__get_free_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO, order);

	if (p)
		atomic_long_add(1L << order, &pages_in_use);
	return p;
}

/**
 * a64_pages_free_order() - free pages from a64_pages_alloc_order()
 * @addr: the kernel address it returned; NULL is ignored
 * @order: the order passed to it
 */
void a64_pages_free_order(void *addr, unsigned int order)
{
	if (!addr)
		return;
	free_pages((unsigned long)addr, order);
	atomic_long_sub(1L << order, &pages_in_use);
}
