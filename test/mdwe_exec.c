/* hy-mdwe-exec CMD ARGS...: turn on PR_SET_MDWE(PR_MDWE_REFUSE_EXEC_GAIN) and exec
 * CMD. The setting is inherited by every child, so a whole ctest run executes with
 * the kernel refusing any W+X mapping or any gain of exec permission. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_GET_MDWE 66
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: hy-mdwe-exec CMD [ARGS...]\n");
        return 2;
    }
    if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0) {
        fprintf(stderr, "hy-mdwe-exec: PR_SET_MDWE failed: %s\n", strerror(errno));
        return 1;
    }
    int got = prctl(PR_GET_MDWE, 0, 0, 0, 0);
    if (got < 0 || !(got & PR_MDWE_REFUSE_EXEC_GAIN)) {
        fprintf(stderr, "hy-mdwe-exec: MDWE not in force after PR_SET_MDWE\n");
        return 1;
    }
    setenv("HY_MDWE", "1", 1);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "hy-mdwe-exec: exec %s: %s\n", argv[1], strerror(errno));
    return 127;
}
