package io.ipcarc.posix.sys;


/** The java.lang.foreign binding's part of the contract (JDK 22+ test sources). */
class FfmNativeBindingsTest extends NativeBindingContract {
    @Override
    Binding binding() {
        return new FfmBinding();
    }
}
