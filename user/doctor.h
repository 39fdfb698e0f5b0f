/* doctor.h - what this kernel allows, probe by probe. */
#ifndef IPCLAB_DOCTOR_H
#define IPCLAB_DOCTOR_H

#include <stdbool.h>
#include "run.h"

int doctor(const struct run_opts *o);

#endif
