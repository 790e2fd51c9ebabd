/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * liba64vcpu: a thin C library over the /dev/a64vcpu ioctls
 * (Documentation/api.rst), shared by the VMM (userspace/vmm/) and the
 * selftests.  One function per ioctl; each returns what the ioctl returns
 * (an fd or 0) or -errno, and never prints or exits: callers decide.
 */
#ifndef A64VCPU_LIB_H
#define A64VCPU_LIB_H

#include <stdint.h>
#include <linux/a64vcpu.h>

int a64vcpu_open(void);
int a64vcpu_get_api_version(int sys_fd);
int a64vcpu_check_extension(int sys_fd, unsigned long cap);
int a64vcpu_create_vm(int sys_fd, unsigned int ipa_bits);
int a64vcpu_set_memory_slot(int vm_fd, uint32_t slot, uint32_t flags, uint64_t gpa,
			    uint64_t size, void *host, uint32_t stage2);
int a64vcpu_create_vcpu(int vm_fd, uint64_t mpidr, uint64_t dtb_addr);
/*
 * Maps the vCPU's struct a64vcpu_run, A64VCPU_GET_VCPU_MMAP_SIZE bytes; NULL
 * with errno set on failure.  The library remembers the size (the module's,
 * the same for every vCPU) and a64vcpu_unmap_run() unmaps that much.
 */
struct a64vcpu_run *a64vcpu_map_run(int sys_fd, int vcpu_fd);
void a64vcpu_unmap_run(struct a64vcpu_run *run);
int a64vcpu_set_entry(int vcpu_fd, uint64_t pc);
/* An 8-byte register; -EINVAL for a V register (16 bytes: a64vcpu_get_reg128()). */
int a64vcpu_get_reg(int vcpu_fd, uint64_t id, uint64_t *val);
int a64vcpu_set_reg(int vcpu_fd, uint64_t id, uint64_t val);
/* A V register, A64VCPU_REG_V(n): 16 bytes at @val, as the ioctl has them; else -EINVAL. */
int a64vcpu_get_reg128(int vcpu_fd, uint64_t id, void *val);
int a64vcpu_set_reg128(int vcpu_fd, uint64_t id, const void *val);
int a64vcpu_run(int vcpu_fd);
/* A64VCPU_IRQ_LINE: an SPI, a vCPU's PPI or (no vGIC) its IRQ/FIQ input. */
int a64vcpu_irq_line(int vm_fd, uint32_t type, uint32_t vcpu, uint32_t irq, uint32_t level);
/* A64VCPU_CREATE_DEVICE: the device's fd. */
int a64vcpu_create_device(int vm_fd, uint32_t type);
/* A64VCPU_{SET,GET,HAS}_DEVICE_ATTR; @val points at the attribute's value. */
int a64vcpu_set_device_attr(int dev_fd, uint32_t group, uint64_t attr, const void *val);
int a64vcpu_get_device_attr(int dev_fd, uint32_t group, uint64_t attr, void *val);
int a64vcpu_has_device_attr(int dev_fd, uint32_t group, uint64_t attr);
/* A64VCPU_{GET,SET}_COUNTER_OFFSET */
int a64vcpu_get_counter_offset(int vm_fd, uint64_t *offset);
int a64vcpu_set_counter_offset(int vm_fd, uint64_t offset);
/*
 * A64VCPU_DOORBELL: a guest store of @len bytes (0: any) at @addr signals
 * eventfd @fd; @flags A64VCPU_DOORBELL_DATAMATCH (only a store of
 * @datamatch, else pass 0), A64VCPU_DOORBELL_DEASSIGN (the same arguments
 * unregister it).
 */
int a64vcpu_doorbell(int vm_fd, uint64_t addr, uint32_t len, int fd, uint32_t flags,
		     uint64_t datamatch);
/*
 * A64VCPU_IRQFD: a write to eventfd @fd raises SPI @intid (edge); with
 * A64VCPU_IRQFD_RESAMPLE the line stays high until the guest deactivates
 * it, then eventfd @resamplefd is signalled (else pass 0);
 * A64VCPU_IRQFD_DEASSIGN unbinds @fd from @intid.
 */
int a64vcpu_irqfd(int vm_fd, int fd, uint32_t intid, uint32_t flags, int resamplefd);
/* "MMIO", "HYPERCALL", ... for an A64VCPU_EXIT_* value; "?" if unknown. */
const char *a64vcpu_exit_name(uint32_t reason);

#endif
