/* fen-glcolors: an OpenGL (GLX) client drawing exact known colours, for the
 * GL-through-the-driver test.  The window (W x H) is cleared to blue 0000ff
 * with a yellow ffff00 rectangle at X coordinates (20,20) size 40x30, drawn
 * with scissored clears so every pixel is exact.  Redraws on Expose and
 * resize; prints "renderer NAME" and "ready 0xWINDOW", flushed.
 *
 *   fen-glcolors [--size WxH] [--pos X,Y] [--title T]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <GL/gl.h>
#include <GL/glx.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

static void draw(Display *dpy, Window win, int w, int h)
{
    glViewport(0, 0, w, h);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(0.0f, 0.0f, 1.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_SCISSOR_TEST);
    glScissor(20, h - 20 - 30, 40, 30); /* GL's origin is bottom-left */
    glClearColor(1.0f, 1.0f, 0.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glXSwapBuffers(dpy, win);
    glFinish();
}

int main(int argc, char **argv)
{
    int w = 160, h = 120, x = 40, y = 40;
    const char *title = "fen-glcolors";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--size") == 0 && sscanf(argv[i + 1], "%dx%d", &w, &h) == 2)
            continue;
        if (strcmp(argv[i], "--pos") == 0 && sscanf(argv[i + 1], "%d,%d", &x, &y) == 2)
            continue;
        if (strcmp(argv[i], "--title") == 0) {
            title = argv[i + 1];
            continue;
        }
        fprintf(stderr, "usage: fen-glcolors [--size WxH] [--pos X,Y] [--title T]\n");
        return 2;
    }
    Display *dpy = XOpenDisplay(NULL);
    if (!dpy) {
        fprintf(stderr, "fen-glcolors: cannot open display\n");
        return 1;
    }
    int attrs[] = {GLX_RGBA, GLX_DOUBLEBUFFER, GLX_RED_SIZE, 8, GLX_GREEN_SIZE, 8,
                   GLX_BLUE_SIZE, 8, None};
    XVisualInfo *vi = glXChooseVisual(dpy, DefaultScreen(dpy), attrs);
    if (!vi) {
        fprintf(stderr, "fen-glcolors: no GLX visual\n");
        return 1;
    }
    Window root = RootWindow(dpy, vi->screen);
    XSetWindowAttributes swa = {
        .colormap = XCreateColormap(dpy, root, vi->visual, AllocNone),
        .event_mask = ExposureMask | StructureNotifyMask,
    };
    Window win = XCreateWindow(dpy, root, x, y, (unsigned)w, (unsigned)h, 0, vi->depth,
                               InputOutput, vi->visual, CWColormap | CWEventMask, &swa);
    XStoreName(dpy, win, title);
    GLXContext ctx = glXCreateContext(dpy, vi, NULL, True);
    if (!ctx || !glXMakeCurrent(dpy, win, ctx)) {
        fprintf(stderr, "fen-glcolors: cannot create a GL context\n");
        return 1;
    }
    printf("renderer %s\n", (const char *)glGetString(GL_RENDERER));
    XMapWindow(dpy, win);
    int announced = 0;
    for (;;) {
        XEvent ev;
        XNextEvent(dpy, &ev);
        if (ev.type == ConfigureNotify) {
            w = ev.xconfigure.width;
            h = ev.xconfigure.height;
        } else if (ev.type == Expose && ev.xexpose.count == 0) {
            draw(dpy, win, w, h);
            if (!announced) {
                printf("ready 0x%lx\n", (unsigned long)win);
                fflush(stdout);
                announced = 1;
            }
        }
    }
}
