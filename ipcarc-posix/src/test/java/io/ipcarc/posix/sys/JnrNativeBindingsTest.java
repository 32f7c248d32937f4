package io.ipcarc.posix.sys;


/** The jnr-ffi binding's part of the contract (on every JDK; on JDK 22+ it is not the default). */
class JnrNativeBindingsTest extends NativeBindingContract {
    @Override
    Binding binding() {
        return new JnrBinding();
    }
}
