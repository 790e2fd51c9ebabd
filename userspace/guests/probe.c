// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exercises how the VMM treats a guest: MMIO that no device claims (the
 * virtio-mmio window, empty in a64vm) and a64vm's own hypercall.
 */
#include "guest.h"

int main(void)
{
	struct smccc_res res;

	printf("probe: unclaimed MMIO read 0x%x\n", readl(VIRT_VIRTIO_MMIO_BASE));
	printf("probe: unclaimed MMIO read 0x%x\n", readl(VIRT_VIRTIO_MMIO_BASE));
	writel(0x12345678, VIRT_VIRTIO_MMIO_BASE);

	res = smccc(A64VM_HC_ECHO, 41, 0, 0);
	printf("probe: echo 41 -> x0=%ld x1=%lu\n", (long)res.x0, (unsigned long)res.x1);

	printf("probe: done\n");
	return 0;
}
