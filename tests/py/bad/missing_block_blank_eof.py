class A:


