/*
 * The PNG filter and deflate choices of image/ParallelPng on one real image, single thread: the per-row adaptive
 * filter (the smallest sum of absolute values of the five) against Paeth on every row, each deflated with Huffman
 * coding alone and at level 1 (LZ77). Prints the last 4 of 8 runs: filter ms, Huffman ms and KB, level-1 ms and KB.
 * JDK only. From the project root, with nothing else running (docs/PERFORMANCE.md, session 14):
 *   ./shiftsr upscale ../shared/data/val-x4/lr/skimage-astronaut.png --out /tmp/png-in
 *   java docs/bench/PngFilterBench.java /tmp/png-in/skimage-astronaut.png
 *   java docs/bench/PngFilterBench.java ../shared/data/val-x4/hr/sklearn-china.png
 */
import javax.imageio.ImageIO; import java.awt.image.*; import java.io.File; import java.util.zip.*;
public class PngFilterBench {
  static int pae(int a,int b,int c){int p=a+b-c,pa=Math.abs(p-a),pb=Math.abs(p-b),pc=Math.abs(p-c); return pa<=pb&&pa<=pc?a:pb<=pc?b:c;}
  public static void main(String[] args) throws Exception {
  BufferedImage s = ImageIO.read(new File(args[0])); int w=s.getWidth(), h=s.getHeight(), rb=w*3, bpp=3;
  byte[] px=new byte[h*rb]; for(int y=0;y<h;y++)for(int x=0;x<w;x++){int v=s.getRGB(x,y);px[y*rb+3*x]=(byte)(v>>16);px[y*rb+3*x+1]=(byte)(v>>8);px[y*rb+3*x+2]=(byte)v;}
  byte[] zero=new byte[rb];
  for (int rep=0; rep<8; rep++) {
   StringBuilder sb=new StringBuilder();
   for (int mode=0; mode<2; mode++) {
    long t0=System.nanoTime();
    byte[] f=new byte[h*(rb+1)];
    for(int y=0;y<h;y++){ int o=y*rb, po=(y-1)*rb; byte[] P = y>0?px:zero; if(y==0) po=0;
      int best=4;
      if (mode==0) {
        long c0=0,c1=0,c2=0,c3=0,c4=0;
        for(int i=0;i<bpp;i++){int x=px[o+i]&255,b=P[po+i]&255; c0+=Math.abs((byte)x);c1+=Math.abs((byte)x);c2+=Math.abs((byte)(x-b));c3+=Math.abs((byte)(x-(b>>>1)));c4+=Math.abs((byte)(x-b));}
        for(int i=bpp;i<rb;i++){int x=px[o+i]&255,a=px[o+i-bpp]&255,b=P[po+i]&255,c=P[po+i-bpp]&255;
          c0+=Math.abs((byte)x);c1+=Math.abs((byte)(x-a));c2+=Math.abs((byte)(x-b));c3+=Math.abs((byte)(x-((a+b)>>>1)));c4+=Math.abs((byte)(x-pae(a,b,c)));}
        long[] cs={c0,c1,c2,c3,c4}; best=0; for(int k=1;k<5;k++) if(cs[k]<cs[best]) best=k;
      }
      int d=y*(rb+1); f[d]=(byte)best; d++;
      for(int i=0;i<rb;i++){int x=px[o+i]&255,a=i>=bpp?px[o+i-bpp]&255:0,b=P[po+i]&255,c=i>=bpp?P[po+i-bpp]&255:0;
        f[d+i]=(byte)(switch(best){case 0->x;case 1->x-a;case 2->x-b;case 3->x-((a+b)>>>1);default->x-pae(a,b,c);});}
    }
    long t1=System.nanoTime();
    Deflater dd=new Deflater(1,true); dd.setStrategy(Deflater.HUFFMAN_ONLY); dd.setInput(f); dd.finish(); byte[] buf=new byte[1<<20]; long n=0; while(!dd.finished()) n+=dd.deflate(buf); long t2=System.nanoTime(); dd.end();
    Deflater de=new Deflater(1,true); de.setInput(f); de.finish(); long n2=0; while(!de.finished()) n2+=de.deflate(buf); de.end(); long t3=System.nanoTime();
    sb.append(String.format(" | %s filter %.1f ms, Huffman %.1f ms %d KB, level 1 %.1f ms %d KB", mode==0?"adaptive":"paeth", (t1-t0)/1e6,(t2-t1)/1e6, n/1024, (t3-t2)/1e6, n2/1024));
   }
   if (rep>=4) System.out.println(sb);
  } } }
