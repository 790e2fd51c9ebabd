/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine a64vm builds: QEMU virt's memory map, so that guests built for
 * QEMU's virt machine run unmodified (Documentation/vmm.rst).
 */
#ifndef A64VM_PLATFORM_H
#define A64VM_PLATFORM_H

#define VIRT_GIC_DIST_BASE	0x08000000ULL
#define VIRT_GIC_DIST_SIZE	0x00010000ULL
#define VIRT_GIC_REDIST_BASE	0x080a0000ULL	/* one 128 KiB frame per vCPU */
#define VIRT_GIC_REDIST_STRIDE	0x00020000ULL
#define VIRT_GIC_REDIST_LIMIT	0x00f60000ULL	/* room for 123 vCPUs */
#define VIRT_GIC_NR_IRQS	(32 + 256)	/* the SGIs and PPIs, then QEMU virt's 256 SPIs */
#define VIRT_GIC_MAINT_PPI	9		/* the GIC's maintenance interrupt (INTID 25) */
#define VIRT_UART_BASE		0x09000000ULL
#define VIRT_UART_SIZE		0x00001000ULL
#define VIRT_VIRTIO_MMIO_BASE	0x0a000000ULL
#define VIRT_VIRTIO_MMIO_SIZE	0x00000200ULL
#define VIRT_RAM_BASE		0x40000000ULL

/* The guest-physical address size a64vm asks for: both accelerators' default. */
#define VIRT_IPA_BITS		40

#define VIRT_MAX_CPUS		8
/* RAM from VIRT_RAM_BASE up to the top of the VIRT_IPA_BITS space: 1 TiB - 1 GiB. */
#define VIRT_MAX_RAM_MIB	(((1ULL << VIRT_IPA_BITS) - VIRT_RAM_BASE) >> 20)

/* Architected timer PPIs (INTID - 16), as QEMU virt describes them. */
#define VIRT_TIMER_PPI_SEC_PHYS	13
#define VIRT_TIMER_PPI_PHYS	14
#define VIRT_TIMER_PPI_VIRT	11
#define VIRT_TIMER_PPI_HYP	10
#define VIRT_UART_SPI		1
#define VIRT_VIRTIO_MMIO_SPI	16	/* transport n: SPI 16 + n (INTID 48 + n) */

/*
 * a64vm's own hypercall, an SMCCC fast call in the vendor-specific
 * hypervisor range: answered by the VMM with x0 = 0 and x1 = x1 + 1.
 * (Under --accel kvm, KVM answers it itself with NOT_SUPPORTED.)
 */
#define A64VM_HC_ECHO		0xc6000100ULL

#endif
