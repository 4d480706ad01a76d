# From the lecture deck: a threading.Thread subclass whose run() prints the time
import threading
import time

def print_epoch(nameOfThread, delay):
    count = 0
    while count < 5:
        time.sleep(delay)
        count += 1
        print(nameOfThread, "-----", time.time())


class MyThread(threading.Thread):
    def __init__(self, name, delay):
        threading.Thread.__init__(self)
        self.name = name
        self.delay = delay

    def run(self):
        print("start thread")
        print_epoch(self.name, self.delay)
        print("end thread")


if __name__ == "__main__":
    t1 = MyThread("Thread-1", 1)
    t2 = MyThread("Thread-2", 2)

    t1.start()
    t2.start()

    t1.join()
    t2.join()

    print("Done")
